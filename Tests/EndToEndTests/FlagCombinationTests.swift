import Foundation
import Testing
import PortholeTestSupport

/// Options that a combination would ignore are refused (exit 2) instead of dropped silently, and `--transcript`
/// works for the guided session too (it was ignored there, so the transcript asked for was never written).
@Suite(.serialized) struct FlagCombinationTests {
    @Test(arguments: [
        (["--yes"], "--yes applies to --playbook runs"),
        (["--dry-run"], "--dry-run applies to --playbook runs"),
        (["--format", "json"], "--format json applies to --playbook runs"),
        (["--lab", "notes", "--kubeconfig", "/tmp/elsewhere", "--playbook", "nodeport"], "--lab starts its own cluster"),
        (["--lab", "--context", "prod"], "--lab starts its own cluster"),
        (["--playbook", "nodeport", "--api-latency", "1s"], "tune the built-in lab: use them with --lab"),
        (["--playbook", "nodeport", "--fault", "500"], "tune the built-in lab: use them with --lab"),
    ])
    func anIgnoredOptionIsRefused(args: [String], said: String) throws {
        let harness = try KubectlHarness(kubeconfig: "/nonexistent")
        defer { harness.cleanup() }
        let r = try PortholeBinary.run(args, harness: harness, timeout: 30)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains(said), "\(r)")
    }

    @Test func theGuidedSessionWritesTheTranscriptAskedFor() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let path = s.harness.workDir + "/session.md"
        let r = try PortholeBinary.run(["--kubeconfig", s.lab.kubeconfigPath, "--journal", s.journal, "--transcript", path], harness: s.harness,
                                       stdin: "use nodeport\nquit\n")
        #expect(r.stderr.contains("transcript written to \(path)"), "\(r)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("# porthole guided session"))
        #expect(text.contains("use nodeport"))
    }

    @Test func aGuidedSessionTranscriptPathThatIsADirectoryIsRefusedFirst() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let before = s.lab.requestLog.entries.count
        let r = try PortholeBinary.run(["--kubeconfig", s.lab.kubeconfigPath, "--transcript", s.harness.workDir], harness: s.harness, stdin: "quit\n")
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains("is a directory"), "\(r)")
        #expect(s.lab.requestLog.entries.count == before)
    }
}
