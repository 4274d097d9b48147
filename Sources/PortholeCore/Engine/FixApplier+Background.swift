import Foundation

/// What starting a `background` fix's process left: its journal id, the handle (nil when it could not
/// start) and where its output goes.
struct StartedProcess: Sendable {
    var journalID: String
    /// The journal's summary of the fix.
    var summary: String
    var handle: ProcessHandle?
    var undo: UndoAction
    /// Why it did not start.
    var error: String?
    var log: String
}

extension FixApplier {
    /// Journals the intent (exact argv, and its undo: stop that process), starts the process detached,
    /// journals the result (pid and start time). Like a write, one unit that SIGINT/SIGTERM wait for.
    func start(_ p: FixProposal, now: Date) async throws -> StartedProcess {
        let ctx = env.context
        let argv = p.command ?? []
        let id = UndoJournal.newID(now)
        let log = Self.logPath(journal: journal.path, fix: p.fix.id, id: id)
        let undo = UndoAction(stop: StopProcess(argv: argv, tag: id, log: log))
        let summary = "\(playbook)/\(p.step): \((try? Template(p.fix.title).substitute(p.variables)) ?? p.fix.title)"
        try ctx.files.createDirectory((log as NSString).deletingLastPathComponent)
        var missing = false
        let started: StartedProcess = try await InterruptGuard.shared.during {
            try journal.append(JournalRecord(id: id, phase: .intent, time: now, playbook: playbook, step: p.step, fix: p.fix.id,
                                             summary: summary, command: argv, undo: [undo]))
            await TestPause.at("before-write", ctx)
            var out = StartedProcess(journalID: id, summary: summary, handle: nil, undo: undo, error: nil, log: log)
            do {
                out.handle = try ctx.processes.spawnDetached(DetachedCommand(argv: argv, environment: ctx.environment, logPath: log, tag: id))
            } catch CommandError.notFound {
                missing = true
                out.error = EnvironmentError.kubectlMissing.description
            } catch {
                out.error = "\(argv.first ?? "the process") did not start: \(error)"
            }
            await TestPause.at("after-write", ctx)
            try journal.append(JournalRecord(id: id, phase: .result, time: ctx.clock.now, summary: summary, error: out.error, process: out.handle))
            return out
        }
        if missing { throw EnvironmentError.kubectlMissing }
        ctx.logger.debug("started", metadata: ["pid": "\(started.handle?.pid ?? 0)", "log": "\(log)"])
        return started
    }

    /// `<journal's directory>/processes/<fix>-<journal id>.log`: next to the journal that can stop it.
    static func logPath(journal: String, fix: String, id: String) -> String {
        let dir = (journal as NSString).deletingLastPathComponent
        return (dir.isEmpty ? "." : dir) + "/processes/\(fix)-\(id).log"
    }

    /// The end of a process's log (what kubectl said before it exited), or a note that it said nothing.
    static func logTail(_ path: String, files: FileSystem) -> String {
        let text = (try? files.read(path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let lines = text.split(separator: "\n").suffix(15).joined(separator: "\n")
        return lines.isEmpty ? "(it wrote nothing to \(path))" : trimmedOutput(lines, limit: 1500)
    }
}
