import Foundation
import PortholeCore

extension SessionDriver {
    var journal: UndoJournal? {
        guard let reading = state.reading else { return nil }
        let path = options.journalPath ?? UndoJournal.defaultPath(environment: context.environment, context: reading.info.context)
        return UndoJournal(path: path, files: context.files)
    }

    /// Writes recorded in the journal and not undone, oldest first.
    func pendingUndos() -> [JournalEntry] {
        guard let journal else { return [] }
        do { return try journal.pending() } catch {
            report(error)
            return []
        }
    }

    /// `undo`, `undo N` (the N newest), `undo all`: Core's undoer, newest first, asking on drift.
    func undo(_ target: ReplCommand.UndoTarget) async {
        let pending = pendingUndos()
        guard let journal, !pending.isEmpty else { return say("Nothing to undo: porthole has no pending writes here.") }
        let count: Int?
        switch target {
        case .last: count = 1
        case .entry(let n): count = min(n, pending.count)
        case .all: count = nil
        }
        guard let held = writeLock(for: "undo") else { return say("Nothing was undone; `undo` tries again.") }
        defer { held.release() }
        let undoer = Undoer(kubectl: Kubectl(options: options.kube, context: context), journal: journal)
        let asker = DriftAsker(driver: self)
        spin("undoing", cancellable: false)
        // An undo writes to the cluster and its journal: Ctrl-C must not cut it in half.
        interrupts.start { FileHandle.standardError.write(Data("\r\u{1B}[Kporthole: the undo finishes first (Ctrl-C cannot stop a write)\n".utf8)) }
        defer { interrupts.stop() }
        do {
            // An undo the journal cannot record would stay "pending" after it was done: revert nothing then.
            try journal.checkWritable()
            let outcomes = try await undoer.undo(count: count) { entry, drift in await asker.ask(entry, drift) }
            spinner.stop()
            for o in outcomes {
                state.record(o, at: context.clock.now)
                switch o.status {
                case .undone:
                    say(TextWrap.wrap(o.summary, width: style.width, first: style.pass("undone") + ": ", indent: "  "))
                    say(o.details.map { style.dim("  " + $0) })
                case .keptAfterDrift:
                    say(TextWrap.wrap(o.summary, width: style.width, first: style.warn("kept") + " (changed since porthole wrote it): ", indent: "  "))
                case .failed(let why):
                    say(TextWrap.wrap("\(o.summary): \(why)", width: style.width, first: style.fail("failed") + ": ", indent: "  "))
                }
            }
            await state.run?.refresh()
            let left = pendingUndos().count
            say(left == 0 ? "Nothing porthole wrote is left in the cluster." : "\(left) change(s) still pending (`undo all`).")
        } catch {
            spinner.stop()
            report(error)
        }
    }

    /// Writes still to undo, newest first and numbered as `undo N` counts them.
    func listPendingUndos(_ pending: [JournalEntry]) {
        for (i, e) in pending.reversed().enumerated() {
            say(TextWrap.wrap(e.intent.summary, width: style.width, first: "  \(i + 1). ", indent: "     "))
        }
    }

    /// `quit`, Ctrl-D: lists what is still changed and offers to undo it before leaving.
    func quit(asked: Bool = false) async {
        quitting = true
        await settlePending()
        let pending = pendingUndos()
        if !pending.isEmpty {
            say(style.warn("These changes porthole made are still in the cluster:"))
            listPendingUndos(pending)
            if confirm("Undo them all before leaving?") {
                await undo(.all)
            } else {
                say(options.clusterEndsWithSession ? "Left in place; the lab stops with this session and they go with it."
                                                   : "Left in place; `porthole undo --all` reverts them later.")
            }
        }
        finished = true
    }
}

extension SessionDriver {
    /// Lists the changes still in the cluster, with the command that reverts them (no question: nobody is asked).
    func sayWhatIsLeft() {
        let pending = pendingUndos()
        guard !pending.isEmpty else { return }
        say(style.warn("These changes porthole made are still in the cluster:"))
        for (i, e) in pending.reversed().enumerated() {
            say(TextWrap.wrap(e.intent.summary, width: style.width, first: "  \(i + 1). ", indent: "     "))
        }
        say(options.clusterEndsWithSession ? "The lab stops with this session and they go with it."
                                           : "`porthole undo --all` reverts them.")
    }
}

/// Asks the operator about drift from inside the undoer's `@Sendable` callback (the reader is only
/// ever used from the session's own flow, which awaits the undo).
final class DriftAsker: @unchecked Sendable {
    private let driver: SessionDriver
    init(driver: SessionDriver) { self.driver = driver }

    func ask(_ entry: JournalEntry, _ drift: String) async -> Bool {
        driver.spinner.stop()
        driver.say(drift.split(separator: "\n").prefix(30).map(String.init))
        return driver.confirm("\(entry.intent.summary) changed since porthole wrote it. Undo anyway?")
    }
}
