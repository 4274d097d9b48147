import Foundation
import Testing
import PortholeLab
import PortholeTestSupport

extension LabTests {
/// `porthole diagnose` judges what the playbooks' probes saw from the operator's side, not only the objects:
/// a nodePort the provider's firewall drops is named (PH0106) once, from a probe that timed out.
@Suite struct DiagnoseObservationTests {
    @Test func aFirewalledNodePortIsNamedFromTheProbes() throws {
        let lab = try LabFixture.start("cloud-firewall+prometheus-nodeport")
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(["diagnose", "--kubeconfig", lab.kubeconfigPath, "--format", "json"], harness: harness, timeout: 240)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let findings = ((doc?["findings"] as? [String: Any])?["findings"] as? [[String: Any]]) ?? []
        let timedOut = findings.filter { $0["code"] as? String == "PH0106" }
        #expect(timedOut.count == 1, "\(r.stdout)")
        #expect((timedOut.first?["message"] as? String)?.contains("nodePort 31390") == true, "\(r.stdout)")
        // The objects alone cannot tell a firewall: `check` without probes does not raise it.
        let check = try PortholeBinary.run(["check", "--kubeconfig", lab.kubeconfigPath], harness: harness)
        #expect(!check.stdout.contains("PH0106"), "\(check.stdout)")
    }
}
}
