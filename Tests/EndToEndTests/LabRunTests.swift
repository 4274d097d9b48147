import Foundation
import Logging
import Testing
import PortholeLab
import PortholeTestSupport

/// The built binary against the simulated cluster of the notes, with the real kubectl:
/// a run without consent writes nothing; with `--yes` it reaches Prometheus; `undo --all` puts it back.
@Suite(.serialized) struct LabRunTests {
    @Test func istioGatewayOnTheNotesLab() throws {
        var options = LabOptions(scenario: "notes")
        options.useRealPrometheus = false
        options.waitForOtherLab = 120
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
