import Foundation
import PortholeKube

/// What `porthole undo` did with one journal entry.
public struct UndoOutcome: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        case undone
        /// The object changed since porthole wrote it and the operator said no.
        case keptAfterDrift
        case failed(String)
    }

    public var id: String
    public var summary: String
    public var status: Status
    /// The difference between what porthole wrote and what is there now, when they differ.
    public var drift: String?
    public var commands: [[String]]
}

/// Reverts journaled writes, newest first, refusing silently to overwrite someone else's change:
/// when an object no longer equals what porthole left, the difference is shown and must be confirmed.
public struct Undoer: Sendable {
    let kubectl: Kubectl
    let journal: UndoJournal

    public init(kubectl: Kubectl, journal: UndoJournal) {
        self.kubectl = kubectl
        self.journal = journal
    }

    /// Undoes the newest `count` pending writes (all when nil). Stops at the first one kept or failed,
    /// since older writes may depend on it.
    public func undo(count: Int?, confirmDrift: @Sendable (JournalEntry, String) async -> Bool) async throws -> [UndoOutcome] {
        let pending = Array(try journal.pending().reversed())
        let chosen = count.map { Array(pending.prefix($0)) } ?? pending
        var out: [UndoOutcome] = []
        for entry in chosen {
            var drift: [String] = []
            if entry.result == nil {
                drift.append("porthole stopped during this write: the state it left is unknown")
            }
            for t in entry.targets where entry.result != nil {
                let now = try await kubectl.readObject(ObjectQuery(resource: t.resource, namespace: t.namespace, name: t.name))
                // The journal holds masked objects: compare masked with masked.
                if !ObjectComparison.same(t.post, now.map(Redactor().redact)) {
                    drift.append("\(t.display) changed since porthole wrote it:\n" + ObjectComparison.diff(recorded: t.post, now: now))
                }
            }
            let diff = drift.isEmpty ? nil : drift.joined(separator: "\n")
            var outcome = UndoOutcome(id: entry.id, summary: entry.intent.summary, status: .undone, drift: diff,
                                      commands: entry.intent.undo.map { kubectl.options.argv($0.args) })
            if let d = diff, !(await confirmDrift(entry, d)) {
                outcome.status = .keptAfterDrift
                out.append(outcome)
                break
            }
            var failure: String?
            for action in entry.intent.undo {
                let r = try await kubectl.run(action.args, stdin: try await unmasked(action.stdin).map { Data($0.utf8) }, timeout: 30)
                if r.exitCode != 0 {
                    failure = "`\(ShellQuote.join(kubectl.options.argv(action.args)))` failed: \(trimmedOutput(r.stderrText, limit: 400))"
                    break
                }
            }
            try journal.append(JournalRecord(id: entry.id, phase: .undone, time: kubectl.context.clock.now, summary: entry.intent.summary,
                                             error: failure))
            if let f = failure {
                outcome.status = .failed(f)
                out.append(outcome)
                break
            }
            out.append(outcome)
        }
        return out
    }

    /// A journaled object to restore, with its masked fields taken from the object as it is now.
    func unmasked(_ stdin: String?) async throws -> String? {
        guard let text = stdin, text.contains("<masked: "), let recorded = try? JSONValue.parse(text),
              let kind = recorded["kind"]?.stringValue, let name = recorded["metadata"]?["name"]?.stringValue else { return stdin }
        let group = recorded["apiVersion"]?.stringValue.flatMap { $0.contains("/") ? String($0.split(separator: "/")[0]) : nil }
        let live = try await kubectl.readObject(ObjectQuery(resource: group.map { "\(kind.lowercased()).\($0)" } ?? kind.lowercased(),
                                                            namespace: recorded["metadata"]?["namespace"]?.stringValue, name: name))
        return Redactor.unmasking(recorded, from: live).prettyJSON
    }
}
