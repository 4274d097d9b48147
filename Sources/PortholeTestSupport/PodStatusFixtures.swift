import Foundation

/// Pod statuses as `kubectl get pod -o yaml` shows them on a broken cluster, for tests that write them into a
/// scenario after a pod's container ports (a top-level `status:` of that pod document).
public enum PodStatusFixtures {
    /// Prometheus crash-looping: Ready False, 7 restarts, the last one exited with code 2.
    public static let crashLoop = """
        status:
          phase: Running
          conditions:
            - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [prometheus]"}
          containerStatuses:
            - name: prometheus
              ready: false
              restartCount: 7
              state: {waiting: {reason: CrashLoopBackOff, message: "back-off 5m0s restarting failed container=prometheus"}}
              lastState: {terminated: {reason: Error, exitCode: 2, finishedAt: "2026-11-28T09:00:00Z"}}

        """
}
