import Foundation
import Logging
import Testing
import PortholeLab
import PortholeTestSupport

extension LabTests {
/// Prometheus installed by the prometheus-community chart (`monitoring/prometheus-server`, port 80 -> 9090)
/// instead of Istio's addon: with no `--var`, the playbook follows the cluster's Prometheus and says so.
@Suite struct PrometheusElsewhereTests {
    /// istio-helm with its Prometheus moved and renamed, and an Alertmanager that must not be taken for it.
    static func scenario() throws -> String {
        var s = try LabFixture.text("istio-helm")
        s = s.replacingOccurrences(of: "name: istio-helm\n", with: "name: prometheus-chart\n")
        s = s.replacingOccurrences(of: "  - istio-system/prometheus\n", with: "  - monitoring/prometheus-server\n")
        s = s.replacingOccurrences(of: "metadata: {name: prometheus, namespace: istio-system, labels: {app.kubernetes.io/name: prometheus, app: prometheus}}",
                                   with: "metadata: {name: prometheus-server, namespace: monitoring, labels: {app.kubernetes.io/name: prometheus, app.kubernetes.io/component: server}}")
        s = s.replacingOccurrences(of: "    - {name: http, port: 9090, targetPort: 9090, protocol: TCP}", with: "    - {name: http, port: 80, targetPort: 9090, protocol: TCP}")
        s = s.replacingOccurrences(of: "  name: prometheus-7c8d9b6f5-tq9zr\n  namespace: istio-system\n", with: "  name: prometheus-server-7c8d9b6f5-tq9zr\n  namespace: monitoring\n")
        s += """

        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: monitoring}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus-alertmanager, namespace: monitoring, labels: {app.kubernetes.io/name: alertmanager}}
        spec:
          selector: {app.kubernetes.io/name: alertmanager}
          ports: [{name: http, port: 9093, targetPort: 9093}]

        """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-prometheus-chart-\(getpid()).yaml").path
        try s.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theNodePortPlaybookFollowsTheClustersPrometheus() throws {
        let lab = try LabFixture.start(file: try Self.scenario())
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "nodeport", "--yes", "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 180)
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("Prometheus is monitoring/prometheus-server port 80"), "\(r)")
        let type = try harness.run(["get", "svc", "prometheus-server", "-n", "monitoring", "-o", "jsonpath={.spec.type}"])
        #expect(type.stdout == "NodePort", "\(type)")
        // Told otherwise, porthole does as it is told.
        let told = try PortholeBinary.run(["--playbook", "nodeport", "--var", "namespace=monitoring", "--var", "service=prometheus-alertmanager",
                                           "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 180)
        #expect(!told.stdout.contains("Prometheus is monitoring/prometheus-server"), "\(told)")
    }
}
}
