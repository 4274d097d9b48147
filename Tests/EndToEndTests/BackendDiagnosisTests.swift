import Foundation
import Logging
import Testing
import PortholeLab
import PortholeTestSupport

extension LabTests {
/// When Prometheus itself cannot answer behind its Service, the run says so instead of blaming the way in.
@Suite struct BackendDiagnosisTests {
    /// The notes' cluster with the Prometheus container's arguments replaced.
    static func notes(prometheusArgs: String? = nil, prometheusStatus: String? = nil, gatewayStatus: String? = nil,
                      appending extra: String = "") throws -> String {
        var s = try LabFixture.text("notes")
        // A pod as `kubectl get pod -o yaml` shows it on a broken cluster: the status after its container ports.
        for (status, anchor) in [(prometheusStatus, "        - {containerPort: 9090, name: http}\n"), (gatewayStatus, "        - {containerPort: 15020}\n")] {
            if let status { s = s.replacingOccurrences(of: anchor, with: anchor + status) }
        }
        if let args = prometheusArgs {
            s = s.replacingOccurrences(of: #"args: ["--storage.tsdb.retention=6h", "--config.file=/etc/prometheus/prometheus.yml"]"#, with: "args: \(args)")
        }
        s += extra
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-backend-\(getpid())-\(UUID().uuidString.prefix(6)).yaml").path
        try s.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ playbook: String, prometheusArgs: String? = nil, prometheusStatus: String? = nil, gatewayStatus: String? = nil,
             appending extra: String = "") throws -> CommandOutcome {
        let lab = try LabFixture.start(file: try Self.notes(prometheusArgs: prometheusArgs, prometheusStatus: prometheusStatus,
                                                            gatewayStatus: gatewayStatus, appending: extra))
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        return try PortholeBinary.run(["--playbook", playbook, "--yes", "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 180)
    }

    @Test(arguments: ["nodeport", "istio-gateway"])
    func aPrometheusBoundToLoopbackIsNamed(playbook: String) throws {
        let r = try run(playbook, prometheusArgs: #"["--web.listen-address=127.0.0.1:9090"]"#)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("answer from Prometheus behind its Service") || r.stdout.contains("Prometheus itself cannot answer behind its Service"), "\(r)")
        #expect(r.stdout.contains("listens on 127.0.0.1:9090 (--web.listen-address)"), "\(r)")
    }

    /// A default-deny NetworkPolicy next to Prometheus: the lab drops the flows (the nodePort times out, Envoy
    /// answers 503 connection timeout), and the run names the policy instead of a firewall or the route.
    @Test(arguments: ["nodeport", "istio-gateway"])
    func aNetworkPolicyThatDropsTheWayInIsNamed(playbook: String) throws {
        let deny = """

        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: default-deny, namespace: istio-system}
        spec:
          podSelector: {matchLabels: {app: prometheus}}
          policyTypes: [Ingress]

        """
        let r = try run(playbook, appending: deny)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("answer from Prometheus behind its Service") || r.stdout.contains("Prometheus itself cannot answer behind its Service"), "\(r)")
        #expect(r.stdout.contains("networkpolicy istio-system/default-deny isolate Prometheus pod"), "\(r)")
    }


    /// A Prometheus in CrashLoopBackOff: its Service has no ready endpoint (the lab refuses the nodePort and
    /// Envoy answers 503 no healthy upstream), and every playbook names the pod and why (PH0113) before
    /// touching the way in.
    @Test(arguments: ["nodeport", "istio-gateway", "port-forward"])
    func aPrometheusThatIsNotReadyIsNamed(playbook: String) throws {
        let r = try run(playbook, prometheusStatus: PodStatusFixtures.crashLoop)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("No Prometheus pod is Ready"), "\(r)")
        #expect(r.stdout.contains("logs <pod> --previous"), "\(r)")
        #expect(r.stdout.contains("pod prometheus-7d7b9f7844-m6tlb: container prometheus CrashLoopBackOff (restarted 7 times, last exit code 2)"), "\(r)")
    }

    /// The gateway's own pod failing its readiness probe: the gateway Service has no endpoint, and the Istio
    /// playbooks say so before declaring any Gateway.
    @Test(arguments: ["istio-gateway", "ingressgateway-port"])
    func aGatewayPodThatIsNotReadyIsNamed(playbook: String) throws {
        let unready = """
            status:
              phase: Running
              conditions:
                - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [istio-proxy]"}

            """
        let r = try run(playbook, gatewayStatus: unready)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("No gateway pod is Ready"), "\(r)")
        #expect(r.stdout.contains("pod istio-ingressgateway-5c4f8d9b7-8mzqv: running but not ready: its readiness probe fails"), "\(r)")
    }

    @Test func checkReportsTheCrashingPod() throws {
        let lab = try LabFixture.start(file: try Self.notes(prometheusStatus: PodStatusFixtures.crashLoop))
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let check = try PortholeBinary.run(["check", "--kubeconfig", lab.kubeconfigPath], harness: harness)
        #expect(check.exitCode == 1, "an error finding: \(check)")
        #expect(check.stdout.contains("PH0113"), "\(check)")
        #expect(!check.stdout.contains("PH0104"), "pods match: not PH0104 too: \(check)")
    }

    @Test func aServiceSendingWherePrometheusDoesNotListenIsNamed() throws {
        let r = try run("nodeport", prometheusArgs: #"["--web.listen-address=:9091"]"#)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("where Prometheus listens on 9091 (--web.listen-address)"), "\(r)")
    }
}
}
