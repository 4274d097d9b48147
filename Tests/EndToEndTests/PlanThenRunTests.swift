import Foundation
import Testing
import PortholeKube
import PortholeLab
import PortholeTestSupport

/// On every shipped scenario: `check` raises no error-level finding on the cluster as shipped, and the
/// playbook `plan` ranks first then reaches Prometheus from outside with `--yes`.
extension LabTests {
    @Suite struct PlanThenRunTests {
        /// Scenarios whose provider firewall admits no port any approach could use (the lab's failing side).
        static let closedFromOutside: Set<String> = ["cloud-firewall"]

        @Test(arguments: LabFixture.scenarios)
        func theFirstRankedPlaybookSucceeds(scenario: String) throws {
            let lab = try LabFixture.start(scenario)
            defer { lab.stop() }
            let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
            defer { harness.cleanup() }
            let kube = ["--kubeconfig", lab.kubeconfigPath]

            let check = try PortholeBinary.run(["check"] + kube, harness: harness)
            #expect(check.exitCode == 0, "error-level findings on the shipped \(scenario): \(check.stdout)")

            let plan = try PortholeBinary.run(["plan", "--format", "json"] + kube, harness: harness)
            let ranked = try JSONValue.parse(Data(plan.stdout.utf8))
            let first = try #require(ranked.arrayValue?.first(where: { $0["viable"] == true && $0["reachesFromOutside"] == true })?["id"]?.stringValue,
                                     "no viable approach for \(scenario): \(plan.stdout)")

            let run = try PortholeBinary.run(["--playbook", first, "--yes"] + kube, harness: harness, timeout: 180)
            if Self.closedFromOutside.contains(scenario) {
                // Nothing outside reaches this cluster until its security group opens: the run must say so.
                #expect(run.exitCode == 1, "\(run.stdout)")
                #expect(run.stdout.contains("security group"), "the failure must name the firewall: \(run.stdout)")
            } else {
                #expect(run.exitCode == 0, "plan ranked \(first) first on \(scenario), but it did not reach Prometheus:\n\(run.stdout)\n\(run.stderr)")
            }
        }
    }
}
