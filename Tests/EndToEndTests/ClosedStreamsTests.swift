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

    /// Closed stdin and stdout read and write /dev/null from the first instruction on. Before, Swift's concurrency
    /// runtime took descriptors 0 and 1 for its epoll and eventfd, so the guided session read an epoll descriptor
    /// (or a kubectl pipe) as its input and hung, and porthole's output went into the runtime's eventfd.
    @Test func closedStandardStreamsAreReopenedOnDevNull() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let bash = Process()
        bash.executableURL = URL(fileURLWithPath: "/bin/bash")
        bash.arguments = ["-c", #"exec "$0" "$@" <&- >&-"#, PortholeBinary.path,
                          "--playbook", "nodeport", "--yes", "--kubeconfig", s.lab.kubeconfigPath, "--journal", s.journal]
        var env = s.harness.environment
        env["XDG_STATE_HOME"] = s.harness.workDir + "/state"
        env["PORTHOLE_PLAYBOOKS"] = PortholeBinary.repository + "/playbooks"
        env["PORTHOLE_TEST_PAUSE"] = "before-write:\(s.marker)"
        bash.environment = env
        bash.standardError = FileHandle.nullDevice
        try bash.run()
        defer { if bash.isRunning { bash.terminate() }; bash.waitUntilExit() }
        #expect(BackgroundPorthole.waitForFile(s.marker), "porthole never paused before its write")
        let pid = try String(contentsOfFile: s.marker, encoding: .utf8).split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        for fd in [0, 1] {
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")
            #expect(target == "/dev/null", "fd \(fd) of porthole \(pid) is \(target ?? "closed")")
        }
        try? FileManager.default.removeItem(atPath: s.marker)
    }

    @Test func aRunWhoseReaderGoesAwayIsNotKilledBySIGPIPE() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let r = try Self.shell(#""$0" "$@" | head -c 1 >/dev/null; exit ${PIPESTATUS[0]}"#,
                               ["--playbook", "nodeport", "--kubeconfig", s.lab.kubeconfigPath, "--journal", s.journal], s)
        #expect(r.exitCode == 1, "exit 141 is SIGPIPE: \(r)")
    }
}
