import Foundation
import Testing
import PortholeLab
import PortholeTestSupport

extension LabTests {
/// ingress-nginx's redirect to https end to end: an Ingress with TLS for Prometheus's host makes the lab's nginx
/// answer 308, and the nginx-ingress playbook names it (PH0509) instead of blaming the route or the backend.
@Suite struct IngressRedirectTests {
    @Test func aRedirectToHTTPSIsNamed() throws {
        let lab = try LabFixture.start("ingress-nginx+prometheus-ingress-tls")
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["--playbook", "nginx-ingress", "--yes", "--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 240)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("PH0509") && r.stdout.contains("redirect to https://"), "\(r.stdout)")
        let check = try PortholeBinary.run(["check", "--kubeconfig", lab.kubeconfigPath], harness: harness)
        #expect(check.stdout.contains("PH0509") && check.stdout.contains("308 Permanent Redirect"), "\(check.stdout)")
    }
}
}
