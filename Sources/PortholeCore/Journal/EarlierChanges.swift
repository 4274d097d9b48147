import Foundation

/// Changes an earlier run or session left in the cluster (pending undos), said before a new one begins,
/// so an operator never starts over a cluster porthole already changed without being told.
public struct EarlierChanges: Sendable {
    let journal: UndoJournal

    public init(journal: UndoJournal) { self.journal = journal }

    /// The lines to show; empty when nothing is pending. A journal that cannot be read is said too: it may hide writes.
    /// `howToUndo` names the command that reverts them where the lines are shown.
    public func lines(howToUndo: String = "`porthole undo --all`") -> [String] {
        let pending: [JournalEntry]
        do { pending = try journal.pending() } catch {
            return ["porthole: warning: cannot tell which earlier changes are pending: \(error)"]
        }
        guard !pending.isEmpty else { return [] }
        var out = ["porthole: \(pending.count) earlier change(s) porthole made are still in the cluster (\(howToUndo) reverts them, newest first; journal \(journal.path)):"]
        for e in pending.reversed() {
            out.append("  \(e.id)  \(e.intent.summary)" + (JournalRecord.outcomeUnknown(e.result) ? " (its outcome is unknown)" : ""))
        }
        return out
    }

    /// On stdout with the run's text output; on stderr when stdout carries a JSON document.
    public func announce(to out: OutputSink, format: TranscriptFormat) {
        for l in lines().map({ Redactor().redact($0) }) {
            if format == .text { out.line(l) } else { out.diagnostic(l) }
        }
    }
}
