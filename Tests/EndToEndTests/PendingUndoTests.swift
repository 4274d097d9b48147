import Foundation
import Testing
import PortholeCore
import PortholeLab
import PortholeTestSupport

/// Pending undos are never forgotten: a run and a guided session say what an earlier one left in the cluster
/// before they begin, and `porthole undo` closes a write whose objects are already back as they were (reverted by
/// hand, or by an undo killed before it journaled that) instead of keeping it pending forever.
@Suite(.serialized) struct PendingUndoTests {
    static let playbook = CrashSafetyTests.playbook

    /// `porthole --playbook ... --yes` on the setup's lab and journal; it must write.
    static func write(_ s: CrashSafetyTests.Setup) throws {
        let r = try PortholeBinary.run(["--playbook", playbook, "--kubeconfig", s.lab.kubeconfigPath, "--yes", "--journal", s.journal],
                                       harness: s.harness)
        #expect(r.exitCode == 0 || r.exitCode == 1, "\(r)")
        #expect(s.changed, "the run wrote: \(r)")
    }

    @Test func aRunSaysWhatAnEarlierRunLeftBeforeItsFirstStep() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        try Self.write(s)
        let pending = try UndoJournal(path: s.journal, files: LocalFileSystem()).pending()
        let r = try PortholeBinary.run(["--playbook", "nodeport", "--kubeconfig", s.lab.kubeconfigPath, "--journal", s.journal], harness: s.harness)
        let said = try #require(r.stdout.range(of: "\(pending.count) earlier change(s) porthole made are still in the cluster"), "\(r)")
        let firstStep = try #require(r.stdout.range(of: "\n== "), "\(r)")
        #expect(said.lowerBound < firstStep.lowerBound, "\(r)")
        for e in pending { #expect(r.stdout.contains(e.id), "\(r)") }
    }

    @Test func aGuidedSessionSaysWhatAnEarlierRunLeftBeforeItProposesAnything() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        try Self.write(s)
        let r = try PortholeBinary.run(["--kubeconfig", s.lab.kubeconfigPath, "--journal", s.journal], harness: s.harness,
                                       environment: [:], timeout: 60, stdin: "quit\n")
        let said = try #require(r.stdout.range(of: "Changes porthole made earlier are still in the cluster"), "\(r)")
        let ranking = try #require(r.stdout.range(of: "Approaches, best first"), "\(r)")
        #expect(said.lowerBound < ranking.lowerBound, "\(r)")
    }

    /// The undo ran but porthole was killed before journaling it: the journal still lists the writes, the cluster is
    /// already as before. A second `porthole undo` closes them rather than refusing over "someone else's change".
    @Test func undoingWritesAlreadyRevertedClosesThem() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        try Self.write(s)
        let beforeUndo = try Data(contentsOf: URL(fileURLWithPath: s.journal))
        let first = try s.undo(["--all"])
        #expect(first.exitCode == 0, "\(first)")
        #expect(s.differences().isEmpty)
        try beforeUndo.write(to: URL(fileURLWithPath: s.journal))
        let second = try s.undo(["--all"])
        #expect(second.exitCode == 0, "\(second)")
        #expect(second.stdout.contains("nothing to undo: "), "\(second)")
        #expect(second.stdout.contains("already as it was before this write"), "\(second)")
        #expect(try UndoJournal(path: s.journal, files: LocalFileSystem()).pending().isEmpty)
        #expect(s.differences().isEmpty)
    }
}
