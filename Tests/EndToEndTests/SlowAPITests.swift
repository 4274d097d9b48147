import Foundation
import Logging
import Testing
import PortholeLab
import PortholeTestSupport

/// A slow API server that answers every request is not an unreachable one: kubectl lists the kinds of porthole's
/// batched read one after another, so with a second per request the read takes longer than any single request may.
/// The run must reach its verdict (exit 1 here: it stops at the first fix), not exit 3 calling the server unreachable.
@Suite(.serialized) struct SlowAPITests {
    @Test func aRunOnAServerThatTakesASecondPerRequestReachesItsVerdict() throws {
        var options = LabOptions(scenario: try LabFixture.relocated("notes"))
        options.useRealPrometheus = false
        options.waitForOtherLab = 120
        options.apiLatency = 1.0
        var logger = Logger(label: "porthole.lab.test")
        logger.logLevel = .critical
        let lab = try LabInstance.start(options, logger: logger)
        let harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
        defer { harness.cleanup(); lab.stop() }
        let r = try PortholeBinary.run(["--playbook", CrashSafetyTests.playbook, "--kubeconfig", lab.kubeconfigPath], harness: harness,
                                       environment: ["XDG_CACHE_HOME": harness.workDir + "/xdg-cache"], timeout: 150)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("stopped at fix"), "\(r)")
        #expect(!r.stderr.contains("unreachable"), "\(r)")
    }
}
