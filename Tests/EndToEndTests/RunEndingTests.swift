import Foundation
import Testing
import PortholeCore
import PortholeLab
import PortholeTestSupport

/// How a run ends, whatever ends it: the transcript is never lost (a bad `--transcript` is refused before the
/// cluster is touched; one that cannot be written at the end goes to a file of porthole's own), and an error
/// after a write still reports the pending undo, journals the write's result and writes the transcript.
@Suite(.serialized) struct RunEndingTests {
    /// A playbook whose first fix on `notes` writes.
    static let playbook = CrashSafetyTests.playbook

    @Test func aTranscriptInADirectoryThatDoesNotExistIsWritten() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let path = s.harness.workDir + "/new/dir/run.md"
        let r = try PortholeBinary.run(["--playbook", Self.playbook, "--kubeconfig", s.lab.kubeconfigPath, "--transcript", path], harness: s.harness)
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stderr.contains("transcript written to \(path)"), "\(r)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("## Outcome"))
    }

    @Test func aTranscriptPathThatIsADirectoryIsRefusedBeforeTheClusterIsRead() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let before = s.lab.requestLog.entries.count
        let r = try PortholeBinary.run(["--playbook", Self.playbook, "--kubeconfig", s.lab.kubeconfigPath, "--yes", "--transcript", s.harness.workDir],
                                       harness: s.harness)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains("--transcript \(s.harness.workDir) is a directory"), "\(r)")
        #expect(s.lab.requestLog.entries.count == before, "nothing was asked of the cluster")
        #expect(!s.changed)
    }

    @Test func aTranscriptThatCannotBeWrittenAtTheEndIsKeptElsewhere() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        // /proc exists, so the check before the run passes; creating a file in it fails.
        let r = try PortholeBinary.run(["--playbook", Self.playbook, "--kubeconfig", s.lab.kubeconfigPath, "--transcript", "/proc/porthole-run.md"],
                                       harness: s.harness)
        #expect(r.exitCode == 3, "\(r)")
        let said = try #require(r.stderr.range(of: #"it was written to (\S+\.md) instead"#, options: .regularExpression), "\(r)")
        let fallback = String(r.stderr[said].dropFirst("it was written to ".count).dropLast(" instead".count))
        #expect(fallback.hasPrefix(s.harness.workDir + "/state/porthole/transcripts/"), "\(fallback)")
        #expect(try String(contentsOfFile: fallback, encoding: .utf8).contains("## Outcome"))
    }

    /// The API server goes away between kubectl's write and porthole's read of what it left: the result is still
    /// journaled (the write is known to have been made), the run exits 3 naming the server, lists the pending undo
    /// and writes the transcript.
    @Test func theAPIServerGoneRightAfterAWriteLeavesAJournaledResultAndATranscript() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let transcript = s.harness.workDir + "/run.md"
        // A copy: the lab removes its own kubeconfig when it stops, and the server going away is the point here.
        let kubeconfig = s.harness.workDir + "/kubeconfig-copy.yaml"
        try FileManager.default.copyItem(atPath: s.lab.kubeconfigPath, toPath: kubeconfig)
        let p = try BackgroundPorthole(["--playbook", Self.playbook, "--kubeconfig", kubeconfig, "--yes", "--journal", s.journal,
                                        "--transcript", transcript],
                                       harness: s.harness, environment: ["PORTHOLE_TEST_PAUSE": "after-write:\(s.marker)"])
        #expect(BackgroundPorthole.waitForFile(s.marker))
        s.lab.stop()
        try FileManager.default.removeItem(atPath: s.marker)
        let r = p.wait()
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("unreachable"), "\(r)")
        let j = try s.contents()
        #expect(j.records.map(\.phase) == [.intent, .result], "\(j.records)")
        #expect(j.records.last?.unreadPost != nil)
        let id = try #require(j.records.first?.id)
        #expect(r.stdout.contains("Pending undos (run `porthole undo`"), "\(r)")
        #expect(r.stdout.contains(id), "\(r)")
        let text = try String(contentsOfFile: transcript, encoding: .utf8)
        #expect(text.contains("stopped by an error"), "\(text.suffix(600))")
        #expect(text.contains(id))
    }

    /// Ctrl-C while a write is in progress: porthole finishes and journals the write, then ends the run with its
    /// summary (the pending undo) and its transcript before exiting 130.
    @Test func anInterruptedRunStillWritesItsTranscriptAndListsItsPendingUndo() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let transcript = s.harness.workDir + "/interrupted.md"
        let p = try BackgroundPorthole(["--playbook", Self.playbook, "--kubeconfig", s.lab.kubeconfigPath, "--yes", "--journal", s.journal,
                                        "--transcript", transcript],
                                       harness: s.harness, environment: ["PORTHOLE_TEST_PAUSE": "before-write:\(s.marker)"])
        #expect(BackgroundPorthole.waitForFile(s.marker))
        p.send(SIGINT)
        Thread.sleep(forTimeInterval: 0.3)
        try FileManager.default.removeItem(atPath: s.marker)
        let r = p.wait()
        #expect(r.exitCode == 130, "\(r)")
        let id = try #require(try s.contents().records.first?.id)
        #expect(r.stdout.contains("Pending undos (run `porthole undo`"), "\(r)")
        #expect(r.stdout.contains(id), "\(r)")
        #expect(r.stderr.contains("transcript written to \(transcript)"), "\(r)")
        let text = try String(contentsOfFile: transcript, encoding: .utf8)
        #expect(text.contains("interrupted by a signal"), "\(text.suffix(600))")
        #expect(text.contains(id))
    }
}
