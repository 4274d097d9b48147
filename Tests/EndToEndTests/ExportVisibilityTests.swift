import Foundation
import Testing
import PortholeLab
import PortholeTestSupport

extension LabTests {
/// Istio's exportTo end to end: the lab's gateway Envoy has no cluster for a Service hidden from its pods'
/// namespace, and the istio-gateway playbook names that (PH0315) instead of a missing route or a dead backend.
@Suite struct ExportVisibilityTests {
    @Test func aServiceHiddenFromTheGatewayIsNamed() throws {
        let lab = try LabFixture.start("istio-helm+prometheus-hidden-from-gateway")
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "istio-gateway", "--yes", "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 240)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("PH0315") && r.stdout.contains("networking.istio.io/exportTo=monitoring"), "\(r.stdout)")
        let check = try PortholeBinary.run(["check", "--kubeconfig", lab.kubeconfigPath], harness: harness)
        #expect(check.stdout.contains("PH0315"), "\(check.stdout)")
    }
}
}
