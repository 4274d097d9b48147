import Foundation
import PortholeKube

extension FindingDefinition {
    static let serviceHasNoReadyPod = FindingDefinition(
        code: "PH0113", level: .error, title: "ServiceHasNoReadyPod",
        template: "{service} selects {count} pod(s) but none is Ready, so it has no ready endpoint: {pods}",
        cause: "kube-proxy and Envoy send only to ready endpoints: a Pending, crashing or unready pod sits under notReadyAddresses, so connections to the Service are refused, Envoy answers 503 no healthy upstream (UH) and ingress-nginx 503, whatever the way in.",
        fix: "find out why the pod is not ready: kubectl -n {namespace} describe pod {pod} (its Events), and kubectl -n {namespace} logs {pod} --previous for a crashing container; porthole cannot fix the pod itself")
}

/// Services on porthole's path whose selector matches pods, none of them Ready (read live: an offline
/// manifest carries no status). No pod at all is PH0104's business.
public enum ServiceReadinessCheck: FindingCheck {
    public static let id = "service-has-no-ready-pod"
    public static var definitions: [FindingDefinition] { [.serviceHasNoReadyPod] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.isLive, s.knows(.pod) else { return [] }
        return ServiceEndpointsCheck.servicesOnPath(s).compactMap { svc in
            let pods = s.pods(selectedBy: svc).sorted { $0.name < $1.name }
            // Silent when any pod's readiness is unknown (no status) or true.
            guard !pods.isEmpty, pods.allSatisfy({ $0.isReady == false }) else { return nil }
            return FindingDefinition.serviceHasNoReadyPod.make(svc.reference, field: "spec.selector", [
                "service": .object(svc.reference), "namespace": .value(svc.namespace), "count": .count(pods.count),
                "pod": .value(pods[0].name),
                "pods": .value(pods.map { "pod \($0.name): \($0.notReadyReason)" }.joined(separator: "; ")),
            ])
        }
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("Prometheus in CrashLoopBackOff", raises: ["PH0113"], live: true, yaml: service + pod(status: """
                  phase: Running
                  podIP: 10.244.0.12
                  conditions:
                    - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [prometheus]"}
                  containerStatuses:
                    - name: prometheus
                      ready: false
                      restartCount: 7
                      state: {waiting: {reason: CrashLoopBackOff, message: "back-off 5m0s restarting failed container=prometheus"}}
                      lastState: {terminated: {reason: Error, exitCode: 1}}
                """)),
            CheckExample("Prometheus Pending, unschedulable", raises: ["PH0113"], live: true, yaml: service + pod(status: """
                  phase: Pending
                  conditions:
                    - type: PodScheduled
                      status: "False"
                      reason: Unschedulable
                      message: "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
                """)),
            CheckExample("Prometheus running, readiness probe failing", raises: ["PH0113"], live: true, yaml: service + pod(status: """
                  phase: Running
                  podIP: 10.244.0.12
                  conditions:
                    - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [prometheus]"}
                  containerStatuses:
                    - {name: prometheus, ready: false, restartCount: 0, state: {running: {startedAt: "2026-11-28T10:00:00Z"}}}
                """)),
            CheckExample("Prometheus ready", raises: [], live: true, yaml: service + pod(status: """
                  phase: Running
                  podIP: 10.244.0.12
                  conditions:
                    - {type: Ready, status: "True"}
                  containerStatuses:
                    - {name: prometheus, ready: true, restartCount: 0, state: {running: {startedAt: "2026-11-28T10:00:00Z"}}}
                """)),
            CheckExample("a manifest read offline has no status", raises: [], yaml: service + pod(status: nil)),
            CheckExample("no pod at all is PH0104's, not this one's", raises: [], live: true, yaml: service),
        ]
    }

    static let service = """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: istio-system}
        spec:
          type: NodePort
          selector: {app: prometheus}
          ports: [{port: 9090, nodePort: 31399}]

        """

    static func pod(status: String?) -> String {
        """
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: prometheus-7d8f9c6b5-x2k4q, namespace: istio-system, labels: {app: prometheus}}
        spec:
          containers: [{name: prometheus, image: prom/prometheus:v2.42.0}]

        """ + (status.map { "status:\n" + $0 } ?? "")
    }
}
