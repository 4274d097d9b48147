import Foundation
import Logging
import Testing
import PortholeLab
import PortholeTestSupport

extension LabTests {
/// When Prometheus itself cannot answer behind its Service, the run says so instead of blaming the way in.
@Suite struct BackendDiagnosisTests {
    /// The notes' cluster with the Prometheus container's arguments replaced.
    static func notes(prometheusArgs: String? = nil, appending extra: String = "") throws -> String {
        var s = try LabFixture.text("notes")
        if let args = prometheusArgs {
            s = s.replacingOccurrences(of: #"args: ["--storage.tsdb.retention=6h", "--config.file=/etc/prometheus/prometheus.yml"]"#, with: "args: \(args)")
        }
        s += extra
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-backend-\(getpid())-\(UUID().uuidString.prefix(6)).yaml").path
        try s.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ playbook: String, prometheusArgs: String? = nil, appending extra: String = "") throws -> CommandOutcome {
        let lab = try LabFixture.start(file: try Self.notes(prometheusArgs: prometheusArgs, appending: extra))
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

    @Test func aServiceSendingWherePrometheusDoesNotListenIsNamed() throws {
        let r = try run("nodeport", prometheusArgs: #"["--web.listen-address=:9091"]"#)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("where Prometheus listens on 9091 (--web.listen-address)"), "\(r)")
    }
}
}
