import Foundation
import Testing
import PortholeCore
import PortholeLab
import PortholeTestSupport

/// A crash, kill -9, Ctrl-C or SIGTERM never leaves a write unrecorded, and `porthole undo` puts the cluster
/// back. porthole is paused at an exact point with `PORTHOLE_TEST_PAUSE=POINT:MARKER` (it creates MARKER
/// and waits while it exists), then killed or signalled there.
@Suite(.serialized) struct CrashSafetyTests {
    /// A playbook whose first fix on `notes` writes.
    static let playbook = "ingressgateway-port"

    struct Setup {
        let lab: LabInstance
        let harness: KubectlHarness
        let journal: String
        let marker: String
        let before: ClusterState

        init() throws {
            lab = try LabFixture.start("notes")
            harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
            journal = harness.workDir + "/state/journal.jsonl"
            marker = harness.workDir + "/paused"
            before = ClusterState(lab.store)
        }

        func stop() { harness.cleanup(); lab.stop() }

        /// `porthole --playbook ... --yes`, paused at `point`; returns once it is paused there.
        func startPaused(at point: String) throws -> BackgroundPorthole {
            let p = try BackgroundPorthole(["--playbook", CrashSafetyTests.playbook, "--kubeconfig", lab.kubeconfigPath, "--yes", "--journal", journal],
                                           harness: harness, environment: ["PORTHOLE_TEST_PAUSE": "\(point):\(marker)"])
            guard BackgroundPorthole.waitForFile(marker) else {
                let r = p.wait(timeout: 1)
                throw SetupError(detail: "porthole never reached \(point): \(r)")
            }
            return p
        }

        func undo(_ extra: [String] = []) throws -> CommandOutcome {
            try PortholeBinary.run(["undo", "--journal", journal, "--kubeconfig", lab.kubeconfigPath] + extra, harness: harness)
        }

        func contents() throws -> JournalContents { try UndoJournal(path: journal, files: LocalFileSystem()).contents() }

        /// What differs from the lab as it started, once controllers converge (up to 5 s).
        func differences() -> [String] { ClusterState.settle(lab.store, to: before, recreated: []) }

        /// True when the lab differs from how it started, right now.
        var changed: Bool { !ClusterState(lab.store).differences(from: before).isEmpty }
    }

    struct SetupError: Error { var detail: String }

    @Test func killedBeforeTheWriteTheJournalSaysSoAndUndoClosesIt() throws {
        let s = try Setup()
        defer { s.stop() }
        let p = try s.startPaused(at: "before-write")
        p.send(SIGKILL)
        _ = p.wait()
        let j = try s.contents()
        #expect(j.tornLines.isEmpty)
        #expect(j.records.map(\.phase) == [.intent], "\(j.records)")
        #expect(s.differences().isEmpty, "nothing was written yet")
        // A crash while appending the next line leaves it torn: undo reports it and goes on.
        try FileHandle(forWritingTo: URL(fileURLWithPath: s.journal)).seekToEndAndWrite("{\"id\":\"torn\",\"phase\":\"res")
        let undo = try s.undo()
        #expect(undo.exitCode == 0, "\(undo)")
        #expect(undo.stderr.contains("line 2 is torn"), "\(undo)")
        #expect(undo.stdout.contains("nothing to undo: "), "\(undo)")
        #expect(s.differences().isEmpty)
        #expect(try s.contents().records.map(\.phase) == [.intent, .undone])
        #expect(try UndoJournal(path: s.journal, files: LocalFileSystem()).pending().isEmpty)
    }

    @Test func killedAfterTheWriteUndoAsksThenRestores() throws {
        let s = try Setup()
        defer { s.stop() }
        let p = try s.startPaused(at: "after-write")
        p.send(SIGKILL)
        _ = p.wait()
        let j = try s.contents()
        #expect(j.tornLines.isEmpty)
        #expect(j.records.map(\.phase) == [.intent], "the result line was never written")
        #expect(s.changed, "the write was made")
        // The state porthole left is unknown: without a terminal, undo refuses unless told to go ahead.
        let refused = try s.undo()
        #expect(refused.exitCode == 1, "\(refused)")
        #expect(refused.stdout.contains("porthole stopped during this write"), "\(refused)")
        #expect(s.changed)
        let forced = try s.undo(["--force"])
        #expect(forced.exitCode == 0, "\(forced)")
        #expect(s.differences().isEmpty)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalDuringAWriteFinishesAndJournalsIt(signal: Int32) throws {
        let s = try Setup()
        defer { s.stop() }
        let p = try s.startPaused(at: "before-write")
        p.send(signal)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(p.isRunning, "porthole must not stop in the middle of a write")
        try FileManager.default.removeItem(atPath: s.marker)
        let r = p.wait()
        #expect(r.exitCode == 128 + signal, "\(r)")
        #expect(r.stderr.contains("finishing the write in progress"), "\(r)")
        let j = try s.contents()
        #expect(j.tornLines.isEmpty)
        #expect(j.records.map(\.phase) == [.intent, .result], "\(j.records)")
        #expect(Set(j.records.map(\.id)).count == 1)
        #expect(s.changed, "the write was finished")
        let undo = try s.undo()
        #expect(undo.exitCode == 0, "\(undo)")
        #expect(s.differences().isEmpty)
    }

    /// kill -9 before the tunnel starts, or after it started but before its pid is journaled: the journal holds
    /// only the intent (with the tag porthole puts in the tunnel's environment), and undo finds it or says it never ran.
    @Test(arguments: ["before-write", "after-write"])
    func killedWhileStartingATunnelUndoFindsItByItsTag(point: String) throws {
        let s = try Setup()
        defer { s.stop() }
        let port = try TunnelTests.freePort()
        let p = try BackgroundPorthole(["--playbook", "port-forward", "--var", "localPort=\(port)", "--kubeconfig", s.lab.kubeconfigPath,
                                        "--yes", "--journal", s.journal],
                                       harness: s.harness, environment: ["PORTHOLE_TEST_PAUSE": "\(point):\(s.marker)"])
        guard BackgroundPorthole.waitForFile(s.marker) else {
            Issue.record("porthole never reached \(point): \(p.wait(timeout: 1))")
            return
        }
        p.send(SIGKILL)
        _ = p.wait()
        #expect(try s.contents().records.map(\.phase) == [.intent])
        if point == "after-write" {
            // Started in its own session before the kill: it outlives porthole.
            let deadline = Date().addingTimeInterval(30)
            while (try? TunnelTests.ready(port).get()) != 200, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
            #expect((try? TunnelTests.ready(port).get()) == 200, "the tunnel runs after porthole was killed")
        }
        let undo = try s.undo()
        #expect(undo.exitCode == 0, "\(undo)")
        if point == "after-write" {
            #expect(undo.stdout.contains("porthole stopped while starting it; found by its tag: pid "), "\(undo)")
            #expect(undo.stdout.contains("with SIGTERM: kubectl"), "\(undo)")
        } else {
            #expect(undo.stdout.contains("no process carries its tag: it never started, or has exited"), "\(undo)")
        }
        #expect(TunnelTests.refuses(port))
        #expect(try UndoJournal(path: s.journal, files: LocalFileSystem()).pending().isEmpty)
    }

    @Test func aSecondRunOnTheSameContextIsRefusedNamingTheFirst() throws {
        let s = try Setup()
        defer { s.stop() }
        let p = try s.startPaused(at: "before-write")
        defer { p.send(SIGKILL); _ = p.wait() }
        let second = try PortholeBinary.run(["--playbook", "nodeport", "--kubeconfig", s.lab.kubeconfigPath, "--yes", "--journal", s.journal],
                                            harness: s.harness)
        #expect(second.exitCode == 3, "\(second)")
        #expect(second.stderr.contains("another porthole is changing this context: pid \(p.pid), `porthole --playbook \(Self.playbook) --yes`"),
                "\(second)")
        let undo = try s.undo()
        #expect(undo.exitCode == 3, "\(undo)")
        #expect(undo.stderr.contains("pid \(p.pid)"), "\(undo)")
        // Without --yes nothing is written, so nothing is locked: a read-only run goes ahead.
        let readOnly = try PortholeBinary.run(["--playbook", "nodeport", "--kubeconfig", s.lab.kubeconfigPath, "--journal", s.journal],
                                              harness: s.harness)
        #expect(readOnly.exitCode == 0 || readOnly.exitCode == 1, "\(readOnly)")
    }
}

extension FileHandle {
    func seekToEndAndWrite(_ text: String) throws {
        try seekToEnd()
        try write(contentsOf: Data(text.utf8))
        try close()
    }
}
