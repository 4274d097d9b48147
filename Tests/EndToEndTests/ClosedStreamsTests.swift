import Foundation
import Testing
import PortholeTestSupport

/// porthole with a closed stdin (`<&-`), a closed stdout (`>&-`) or a reader that goes away (`| head -1`): it never
/// crashes with a Swift backtrace nor dies of SIGPIPE mid-run; it runs to its own verdict and exit code.
@Suite(.serialized) struct ClosedStreamsTests {
    /// Runs `bash -c SCRIPT porthole ARGS...` (the script refers to porthole as "$0" "$@") with porthole's test environment.
    static func shell(_ script: String, _ args: [String], _ s: CrashSafetyTests.Setup) throws -> CommandOutcome {
        try s.harness.runProgram("/bin/bash", ["-c", script, PortholeBinary.path] + args, timeout: 60,
                                 extraEnvironment: ["XDG_STATE_HOME": s.harness.workDir + "/state",
                                                    "PORTHOLE_PLAYBOOKS": PortholeBinary.repository + "/playbooks"])
    }

    @Test func aGuidedSessionWithStdinClosedEndsAsAtTheEndOfInput() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let r = try Self.shell(#"exec "$0" "$@" <&-"#, ["--kubeconfig", s.lab.kubeconfigPath, "--journal", s.journal], s)
        #expect(r.exitCode == 1, "\(r)")
        #expect(!r.stderr.contains("Fatal error"), "\(r)")
        #expect(r.stdout.contains("Approaches, best first"), "\(r)")
    }

    @Test func aRunWithStdoutClosedReachesItsVerdict() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let r = try Self.shell(#"exec "$0" "$@" >&-"#, ["--playbook", "nodeport", "--kubeconfig", s.lab.kubeconfigPath, "--journal", s.journal], s)
        #expect(r.exitCode == 1, "\(r)")
        #expect(!r.stderr.contains("Fatal error"), "\(r)")
    }

    @Test func aRunWhoseReaderGoesAwayIsNotKilledBySIGPIPE() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let r = try Self.shell(#""$0" "$@" | head -c 1 >/dev/null; exit ${PIPESTATUS[0]}"#,
                               ["--playbook", "nodeport", "--kubeconfig", s.lab.kubeconfigPath, "--journal", s.journal], s)
        #expect(r.exitCode == 1, "exit 141 is SIGPIPE: \(r)")
    }
}
