import Foundation
import Testing
import PortholeLab
import PortholeTestSupport

extension LabTests {
/// `--var operatorCIDR=...` on the istio-gateway playbook, end to end through the lab's gateway Envoy, which
/// enforces AuthorizationPolicy and, with externalTrafficPolicy Cluster, sees the node's address (kube-proxy
/// masquerades), never the operator's.
@Suite struct OperatorRestrictionTests {
    func run(_ scenario: String, cidr: String) throws -> (CommandOutcome, String) {
        let lab = try LabFixture.start(scenario)
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "istio-gateway", "--yes", "--var", "operatorCIDR=\(cidr)", "--kubeconfig", lab.kubeconfigPath],
                                       harness: harness, timeout: 180)
        let policies = try harness.run(["get", "authorizationpolicies.security.istio.io", "-A", "-o", "name"]).stdout
        return (r, "\(policies)")
    }

    /// Cluster (the default): a policy on the operator's address would lock the operator out, so
    /// porthole writes none, says why (PH0703), and still reaches Prometheus.
    @Test func withClusterTrafficPolicyNoPolicyIsWrittenAndWhyIsSaid() throws {
        let (r, policies) = try run("istio-helm", cidr: "127.0.0.1/32")
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("PH0703") && r.stdout.contains("externalTrafficPolicy"), "\(r)")
        #expect(!policies.contains("prometheus-operator-only"), "\(policies)")
    }

    /// Local: the policy is written and the operator, whose address it names, still gets through.
    @Test func withLocalTrafficPolicyTheOperatorStillGetsThrough() throws {
        let (r, policies) = try run("istio-helm+gateway-keeps-client-address", cidr: "127.0.0.1/32")
        #expect(r.exitCode == 0, "\(r)")
        #expect(policies.contains("prometheus-operator-only"), "\(policies)")
    }

    /// A CIDR that is not the operator's: the gateway denies the operator, and the run says it was an
    /// AuthorizationPolicy (403 RBAC: access denied), not a missing route or a dead backend.
    @Test func aWrongCIDRIsDiagnosedAsAnAuthorizationDenial() throws {
        let (r, policies) = try run("istio-helm+gateway-keeps-client-address", cidr: "127.99.99.99/32")
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("403 RBAC: access denied") && r.stdout.contains("AuthorizationPolicy"), "\(r)")
        #expect(policies.contains("prometheus-operator-only"), "\(policies)")
    }
}
}
