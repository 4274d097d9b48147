import Foundation
import Testing
import PortholeLab
import PortholeTestSupport

/// porthole never writes without consent: every shipped playbook on every shipped scenario, run by the
/// real binary without `--yes` and with `--dry-run`, and `check`, `plan`, `diagnose`, leave no write in
/// the lab's request log (POST/PUT/PATCH/DELETE other than `dryRun=All`, port-forward and access reviews), and open
/// no port-forward tunnel.
@Suite(.serialized) struct ConsentAuditTests {
    /// What each scenario is audited with: 2 runs per playbook, then the three read-only commands.
    static func invocations(playbooks: [String]) -> [[String]] {
        playbooks.flatMap { [["--playbook", $0], ["--playbook", $0, "--dry-run"]] } + [["check"], ["plan"], ["diagnose"]]
    }

    @Test func theAuditCoversEveryShippedPlaybookAndScenario() {
        #expect(LabFixture.playbooks.count >= 7)
        #expect(LabFixture.scenarios.count >= 6)
        #expect(Self.invocations(playbooks: LabFixture.playbooks).count == LabFixture.playbooks.count * 2 + 3)
    }

    @Test(arguments: LabFixture.scenarios)
    func nothingIsWrittenWithoutConsent(scenario: String) throws {
        let lab = try LabFixture.start(scenario)
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        var audited = 0, dryRuns = 0, written = 0
        for args in Self.invocations(playbooks: LabFixture.playbooks) {
            lab.requestLog.clear()
            let r = try PortholeBinary.run(args + ["--kubeconfig", lab.kubeconfigPath], harness: harness, timeout: 120)
            let requests = lab.requestLog.entries
            // A run that never reached the lab would pass vacuously: it must have read the cluster.
            #expect(r.exitCode == 0 || r.exitCode == 1, "\(scenario): porthole \(args.joined(separator: " ")): \(r)")
            #expect(requests.contains { $0.method == "GET" }, "\(scenario): porthole \(args.joined(separator: " ")) read nothing")
            let writes = requests.filter(\.isWrite).map { "\($0.method) \($0.path)?\($0.query)" }
            #expect(writes.isEmpty, "\(scenario): porthole \(args.joined(separator: " ")) wrote without consent: \(writes)")
            // Port-forward is no write to the store, but a tunnel porthole starts needs consent just the same.
            let tunnels = requests.filter { $0.path.hasSuffix("/portforward") }.map(\.path)
            #expect(tunnels.isEmpty, "\(scenario): porthole \(args.joined(separator: " ")) opened a tunnel without consent: \(tunnels)")
            audited += 1
            dryRuns += requests.filter(\.isDryRun).count
            written += writes.count
        }
        print("consent audit: \(scenario): \(audited) runs audited, \(written) writes, \(dryRuns) server-side dry runs")
    }
}
