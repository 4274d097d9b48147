import Foundation
import Logging
import Testing
import PortholeLab
import PortholeTestSupport

/// The built binary against the simulated cluster of the notes, with the real kubectl:
/// a run without consent writes nothing; with `--yes` it reaches Prometheus; `undo --all` puts it back.
/// Lab tests run one at a time: two labs of one scenario would share its loopback data-plane addresses.
@Suite(.serialized) struct LabTests {}

extension LabTests {
@Suite struct LabRunTests {
    @Test func istioGatewayOnTheNotesLab() throws {
        var options = LabOptions(scenario: "notes")
        options.useRealPrometheus = false
        options.waitForOtherLab = 240
        let lab = try LabInstance.start(options, logger: Logger(label: "lab"))
        defer { lab.stop() }
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup() }
        func porthole(_ args: [String]) throws -> CommandOutcome {
            try PortholeBinary.run(args + ["--kubeconfig", lab.kubeconfigPath], harness: harness)
        }

        let dry = try porthole(["--playbook", "istio-gateway"])
        #expect(dry.exitCode == 1, "\(dry)")
        #expect(dry.stdout.contains("Goal not reached: stopped at fix apply-gateway: nothing was written (run with --yes to apply it)"), "\(dry)")
        #expect(dry.stdout.contains("kubectl --kubeconfig \(lab.kubeconfigPath) apply -f - <<'EOF'"))
        #expect(dry.stdout.contains("Pending undos: none."))

        let dryRun = try porthole(["--playbook", "istio-gateway", "--dry-run"])
        #expect(dryRun.exitCode == 1, "\(dryRun)")
        #expect(dryRun.stdout.contains("fix apply-gateway: dryRun"), "\(dryRun)")
        #expect(dryRun.stdout.contains("(server dry run)"), "\(dryRun)")

        let json = try porthole(["--playbook", "istio-gateway", "--format", "json"])
        #expect(json.exitCode == 1, "\(json)")
        let session = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((session?["outcome"] as? [String: Any])?["goalReached"] as? Bool == false, "\(json.stdout.prefix(400))")
        #expect((session?["playbook"] as? [String: Any])?["id"] as? String == "istio-gateway")

        let transcript = harness.workDir + "/run.md"
        let run = try porthole(["--playbook", "istio-gateway", "--yes", "--transcript", transcript])
        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stdout.contains("Goal reached"), "\(run)")
        #expect(run.stdout.contains("Pending undos (run `porthole undo`, newest first):"))
        #expect(!run.stdout.contains("${"), "unsubstituted variable in \(run.stdout)")
        let md = try String(contentsOfFile: transcript, encoding: .utf8)
        #expect(md.contains("| Outcome | ✅ goal reached |"))
        #expect(md.contains("### Fix `apply-gateway`"))

        let gateways = try harness.run(["get", "gateways.networking.istio.io", "-n", "istio-system", "-o", "name"])
        #expect(gateways.stdout.contains("prometheus-gateway"))

        let undo = try PortholeBinary.run(["undo", "--all", "--kubeconfig", lab.kubeconfigPath], harness: harness)
        #expect(undo.exitCode == 0, "\(undo)")
        #expect(undo.stdout.contains("Pending undos: none."), "\(undo)")
        let after = try harness.run(["get", "gateways.networking.istio.io", "-n", "istio-system", "-o", "name"])
        #expect(!after.stdout.contains("prometheus-gateway"), "\(after)")
    }
}
}
