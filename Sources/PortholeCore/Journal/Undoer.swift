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
    /// The commands run (or, when kept, the ones that would have run).
    public var commands: [[String]]
    /// Said to the operator besides the status (e.g. an interrupted write that never happened).
    public var note: String? = nil
    /// What was done besides kubectl commands, one line each (a process stopped, or found already gone).
    public var details: [String] = []
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
            if entry.intent.undo.contains(where: { $0.stop != nil }) {
                out.append(try await stopProcesses(entry))
                continue
            }
            var drift: [String] = []
            if JournalRecord.outcomeUnknown(entry.result) {
                // porthole stopped during this write, or could not read what it left: compare with the state before it instead.
                var changed: [String] = []
                for t in entry.intent.targets {
                    let now = try await kubectl.readObject(ObjectQuery(resource: t.resource, namespace: t.namespace, name: t.name))
                    if !ObjectComparison.sameAllowingMasks(recorded: t.prior, now: now) {
                        changed.append("\(t.display) differs from before the write:\n" + ObjectComparison.diff(recorded: t.prior, now: now))
                    }
                }
                if changed.isEmpty, !entry.intent.targets.isEmpty {
                    try journal.append(JournalRecord(id: entry.id, phase: .undone, time: kubectl.context.clock.now, summary: entry.intent.summary))
                    out.append(UndoOutcome(id: entry.id, summary: entry.intent.summary, status: .undone, drift: nil, commands: [],
                                           note: "porthole stopped before this write changed anything; nothing to undo"))
                    continue
                }
                drift.append(entry.result?.unreadPost.map { "porthole could not read the state this write left (\($0)): it is unknown" }
                             ?? "porthole stopped during this write: the state it left is unknown")
                drift += changed
            }
            // Only a write whose result is known: after an unknown outcome the comparison with the prior state was made above.
            var backToPrior = !JournalRecord.outcomeUnknown(entry.result) && !entry.targets.isEmpty
            for t in entry.targets where !JournalRecord.outcomeUnknown(entry.result) {
                let now = try await kubectl.readObject(ObjectQuery(resource: t.resource, namespace: t.namespace, name: t.name))
                // The journal holds masked objects: a masked value matches whatever is there now.
                if !ObjectComparison.sameAllowingMasks(recorded: t.post, now: now) {
                    drift.append("\(t.display) changed since porthole wrote it:\n" + ObjectComparison.diff(recorded: t.post, now: now))
                }
                if !ObjectComparison.sameAllowingMasks(recorded: t.prior, now: now) { backToPrior = false }
            }
            if !drift.isEmpty, backToPrior, entry.intent.undo.allSatisfy({ $0.stop == nil }) {
                // Every target is already as it was before the write (reverted by hand, or by an undo killed before its
                // `undone` line): nothing is left to undo, and asking about "someone else's change" would keep it pending forever.
                try journal.append(JournalRecord(id: entry.id, phase: .undone, time: kubectl.context.clock.now, summary: entry.intent.summary,
                                                 note: "already as before the write"))
                out.append(UndoOutcome(id: entry.id, summary: entry.intent.summary, status: .undone, drift: nil, commands: [],
                                       note: "every object is already as it was before this write"))
                continue
            }
            let diff = drift.isEmpty ? nil : drift.joined(separator: "\n")
            var outcome = UndoOutcome(id: entry.id, summary: entry.intent.summary, status: .undone, drift: diff, commands: [])
            if let d = diff, !(await confirmDrift(entry, d)) {
                outcome.status = .keptAfterDrift
                outcome.commands = entry.intent.undo.map { kubectl.options.argv($0.args) }
                out.append(outcome)
                break
            }
            var failure: String?
            for planned in entry.intent.undo {
                let action = try await prepared(planned, entry)
                outcome.commands.append(kubectl.options.argv(action.args))
                let r = try await kubectl.run(action.args, stdin: action.stdin.map { Data($0.utf8) }, timeout: 30)
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

    /// A restore (`replace -f -` of the prior object) made exact for the object as it is now: absent
    /// (the fix deleted it) -> `create`; present -> a raw PUT of the prior object carrying the live
    /// resourceVersion (custom resources refuse an update without one). Raw, because `kubectl replace`
    /// rewrites an existing last-applied-configuration annotation from what it sends, so the restored
    /// object would differ from the prior one in that annotation.
    func prepared(_ action: UndoAction, _ entry: JournalEntry) async throws -> UndoAction {
        guard action.args == ["replace", "-f", "-"], let text = action.stdin, var object = try? JSONValue.parse(text),
              let name = object["metadata"]?["name"]?.stringValue else { return action }
        let namespace = object["metadata"]?["namespace"]?.stringValue ?? ""
        guard let t = entry.intent.targets.first(where: { $0.name == name && ($0.namespace ?? "") == namespace }) else { return action }
        let live = try await kubectl.readObject(ObjectQuery(resource: t.resource, namespace: t.namespace, name: t.name))
        guard let version = live?["metadata"]?["resourceVersion"] else { return UndoAction(args: ["create", "-f", "-"], stdin: text) }
        // The journal is masked on disk: a secret the fix never wrote keeps the value it has now, which is the one it had.
        object = Redactor.unmasking(object, from: live)
        object["metadata"]?["resourceVersion"] = version
        guard let path = Self.apiPath(object, resource: t.resource, namespace: t.namespace, name: t.name) else {
            return UndoAction(args: action.args, stdin: object.prettyJSON)
        }
        return UndoAction(args: ["replace", "--raw", path, "-f", "-"], stdin: object.prettyJSON)
    }

    /// `/api/v1/namespaces/NS/services/NAME` or `/apis/GROUP/VERSION/...`; `resource` is a plural
    /// (`gateways.networking.istio.io`), as playbook targets are.
    static func apiPath(_ object: JSONValue, resource: String, namespace: String?, name: String) -> String? {
        guard let apiVersion = object["apiVersion"]?.stringValue, let plural = resource.split(separator: ".").first else { return nil }
        let base = apiVersion.contains("/") ? "/apis/\(apiVersion)" : "/api/\(apiVersion)"
        return base + (namespace.map { "/namespaces/\($0)" } ?? "") + "/\(plural)/\(name)"
    }
}
