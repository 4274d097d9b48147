import Foundation
import Testing
import PortholeLab
import PortholeTestSupport

extension LabTests {
/// Istio authorization at the backend, end to end: Prometheus has a sidecar and an AuthorizationPolicy that
/// admits only Grafana, so its sidecar refuses the gateway's Envoy (403 RBAC: access denied, relayed by the
/// gateway). The run names Prometheus's policy, not one on the gateway; admitting the gateway's namespace opens it.
@Suite struct BackendAuthorizationTests {
    static let scenario = "istio-helm+prometheus-meshed-allows-grafana"

    @Test func aPolicyOnPrometheusThatAdmitsNotTheGatewayIsNamed() throws {
        let lab = try LabFixture.start(Self.scenario)
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "istio-gateway", "--yes", "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 240)
        let flat = r.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(r.exitCode == 1, "\(r)")
        #expect(flat.contains("Prometheus's own sidecar answered 403 RBAC: access denied"), "\(r.stdout)")
        #expect(flat.contains("cluster.local/ns/istio-ingress/sa/"), "\(r.stdout)")
        #expect(!flat.contains("an AuthorizationPolicy on the gateway denied"), "\(r.stdout)")
    }

    /// Through ingress-nginx outside the mesh: the controller has no identity, so a policy admitting a namespace
    /// refuses it, and the run says so instead of blaming an nginx allow-list.
    @Test func aPolicyOnPrometheusRefusesTheUnmeshedController() throws {
        let lab = try LabFixture.start("ingress-nginx+prometheus-admits-only-monitoring")
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "nginx-ingress", "--yes", "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 240)
        let flat = r.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(r.exitCode == 1, "\(r)")
        #expect(flat.contains("nginx passed the request on, and Prometheus's own sidecar answered 403 RBAC: access denied"), "\(r.stdout)")
    }

    @Test func admittingTheGatewaysNamespaceOpensIt() throws {
        let lab = try LabFixture.start(Self.scenario)
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let patch = try harness.run(["-n", "istio-system", "patch", "authorizationpolicies.security.istio.io", "prometheus-from-grafana", "--type=merge",
                                     "-p", #"{"spec":{"rules":[{"from":[{"source":{"principals":["cluster.local/ns/monitoring/sa/grafana"]}},{"source":{"namespaces":["istio-ingress"]}}]}]}}"#])
        #expect(patch.exitCode == 0, "\(patch)")
        let r = try PortholeBinary.run(["--playbook", "istio-gateway", "--yes", "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 240)
        #expect(r.exitCode == 0 && r.stdout.contains("Prometheus answers at"), "\(r)")
    }
}
}
