import Foundation

extension PlaybookRun {
    /// A consented `background` fix: journal and start the process, verify within the budget, and keep it
    /// only when it proved itself. A process that exited (port taken, pod gone) fails the fix with its own
    /// words from the log; one that never passed verify is stopped again. Either way nothing stays pending.
    mutating func startBackground(_ p: FixProposal, fix: Fix, step: Step, record rec: inout FixRecord,
                                  events: inout [RunEvent]) async throws -> (FixDecision, Resolution) {
        let applier = FixApplier(env: env, journal: journal, playbook: playbook.id)
        let ctx = env.context
        let started = try await applier.start(p, now: ctx.clock.now)
        rec.journalID = started.journalID
        rec.undo = [started.undo.display(process: started.handle)]
        guard let handle = started.handle else {
            rec.output = started.error
            return (.failed, .unresolved)
        }
        let launcher = ctx.processes
        let (verify, verdict) = try await verifyAfter(fix, step: step) { try launcher.isRunning(handle) }
        rec.verify = verify
        events += (1...max(1, verify.attempts)).map { .verifying(step: step.id, attempt: $0, passed: verify.passed && $0 == verify.attempts) }
        let log = FixApplier.logTail(started.log, files: ctx.files)
        if !(try launcher.isRunning(handle)) {
            rec.output = "\(p.command?.first ?? "the process") exited right after it started (pid \(handle.pid)); it said:\n\(log)"
                + (verify.passed ? "\nSomething else answers the verify probes." : "")
            try ended(started, note: "the process exited by itself: \(log)")
            return (.failed, .unresolved)
        }
        guard verify.passed else {
            let how = try await launcher.stop(handle)
            rec.output = "it did not pass verify within \(formatDuration(fix.verify?.timeout ?? 0)), so porthole stopped it again "
                + "(pid \(handle.pid), \(how == .alreadyGone ? "already gone" : "stopped")); it said:\n\(log)"
            try ended(started, note: "stopped again: it did not pass verify")
            return (.failed, .unresolved)
        }
        rec.output = "started in the background: pid \(handle.pid), output in \(started.log); `porthole undo` stops it"
        return (.applied, .resolved(verdict))
    }

    /// Journals that the process is gone, so it is no longer a pending undo.
    private func ended(_ s: StartedProcess, note: String) throws {
        try journal.append(JournalRecord(id: s.journalID, phase: .undone, time: env.context.clock.now,
                                         summary: s.summary, note: note))
    }
}
