import Foundation
import Testing
import PortholeLab
import PortholeTestSupport

extension LabTests {
/// Real-world shapes of the Prometheus Service the shipped scenarios do not have: the operator's headless
/// `prometheus-operated` (named targetPort `web`), run with the real binary and kubectl against the lab.
@Suite struct ServiceShapeTests {
    /// `scenario` with a headless `prometheus-operated` beside its Prometheus, as the Prometheus Operator makes
    /// it: `clusterIP: None`, port `web` -> the pod's container port named `web`.
    static func withOperatedService(_ scenario: String, podPorts: String) throws -> String {
        var s = try LabFixture.text(scenario)
        s = s.replacingOccurrences(of: podPorts, with: "ports: [{name: web, containerPort: 9090}]")
        s += """

        ---
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus-operated, namespace: istio-system, labels: {operated-prometheus: "true"}}
        spec:
          clusterIP: None
          selector: {app.kubernetes.io/name: prometheus}
          ports: [{name: web, port: 9090, targetPort: web, protocol: TCP}]

        """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-operated-\(scenario)-\(getpid())-\(UUID().uuidString.prefix(6)).yaml").path
        try s.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let cases = [("istio-helm", "nodeport"), ("metallb-crds", "loadbalancer-metallb")]

    /// Without consent the run stops before any patch: the headless Service is named (PH0115) and the proposed
    /// fix is a second Service beside it, not the patch the API server would refuse.
    @Test(arguments: cases)
    func aHeadlessServiceIsNamedBeforeAnyPatch(scenario: String, playbook: String) throws {
        let lab = try LabFixture.start(file: try Self.withOperatedService(scenario, podPorts: "ports: [{containerPort: 9090}]"))
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", playbook, "--var", "service=prometheus-operated", "--kubeconfig", lab.kubeconfigPath],
                                       harness: harness, timeout: 180)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("istio-system/prometheus-operated is headless (clusterIP: None)"), "\(r)")
        #expect(r.stdout.contains("[PH0115]"), "\(r)")
        #expect(r.stdout.contains("Create Service istio-system/prometheus-operated-external beside the headless prometheus-operated"), "\(r)")
        #expect(!r.stdout.contains("may not be set to 'None'"), "porthole must not try the patch: \(r)")
        #expect(lab.requestLog.writes.isEmpty, "a run without consent wrote: \(lab.requestLog.writes)")
    }

    /// With consent porthole creates `prometheus-operated-external` (same selector, targetPort `web`), makes that
    /// one NodePort, and Prometheus answers through it; the headless Service is untouched. The lab refuses the
    /// patch on the headless Service itself with the real server's words.
    @Test func theNodePortPlaybookReachesPrometheusBesideAHeadlessService() throws {
        let lab = try LabFixture.start(file: try Self.withOperatedService("istio-helm", podPorts: "ports: [{containerPort: 9090}]"))
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "nodeport", "--yes", "--var", "service=prometheus-operated", "--kubeconfig", lab.kubeconfigPath],
                                       harness: harness, timeout: 180)
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("Prometheus answers at"), "\(r)")
        let beside = try harness.run(["get", "svc", "prometheus-operated-external", "-n", "istio-system",
                                      "-o", "jsonpath={.spec.type} {.spec.ports[0].targetPort} {.spec.selector}"])
        #expect(beside.stdout.hasPrefix("NodePort web "), "\(beside)")
        #expect(beside.stdout.contains("app.kubernetes.io/name"), "\(beside)")
        let headless = try harness.run(["get", "svc", "prometheus-operated", "-n", "istio-system", "-o", "jsonpath={.spec.type} {.spec.clusterIP}"])
        #expect(headless.stdout == "ClusterIP None", "\(headless)")
        let refused = try harness.run(["patch", "svc", "prometheus-operated", "-n", "istio-system", "--type=merge", "-p", #"{"spec":{"type":"NodePort"}}"#])
        #expect(refused.stderr.contains(#"spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services"#), "\(refused)")
    }
}
}
