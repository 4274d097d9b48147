import Foundation
import PortholeKube

extension PlaybookRun {
    /// Proposes a fix, and applies it only with consent; then verifies within the wait budget.
    mutating func handle(_ fix: Fix, step: Step, recordIndex r: Int, consent: ConsentPolicy? = nil) async throws -> ([RunEvent], Resolution) {
        let applier = FixApplier(env: env, journal: journal, playbook: playbook.id)
        var rec = FixRecord(fix: fix.id, title: resolved(fix.title), changes: resolved(fix.changes), warning: nil,
                            writes: fix.writes, command: nil, manifest: nil, decision: .offered, output: nil, undo: [], journalID: nil, verify: nil)
        var proposal: FixProposal
        do { proposal = try applier.proposal(step: step.id, fix: fix, variables: variables) } catch let u as Template.Unset {
            rec.decision = .skipped
            rec.output = "not run: variable \(u.name) is not set"
            session.steps[r].fixes.append(rec)
            return ([.fixResolved(step: step.id, rec)], .unresolved)
        }
        proposal.fix.title = rec.title
        proposal.fix.changes = rec.changes
        proposal.verdict = session.steps[r].verdict
        proposal.probes = session.steps[r].probes
        proposal.variables = variables
        rec.command = proposal.command
        rec.manifest = proposal.manifest
        rec.warning = proposal.warning
        rec.undo = fix.action.isBackground ? ["stop the process porthole starts (its pid and start time are journaled): `porthole undo`"]
            : proposal.fix.undo.map { [ShellQuote.join(["kubectl"] + $0)] } ?? proposal.fix.targets.compactMap { t in
            guard let name = t.name else { return nil }
            return "restore or delete \(t.resource)/\(name)" + (t.namespace.map { " -n \($0)" } ?? "") + " (exact command recorded in the journal before writing)"
        }
        var events: [RunEvent] = [.fixProposed(proposal)]
        func done(_ d: FixDecision, _ res: Resolution) -> ([RunEvent], Resolution) {
            rec.decision = d
            session.steps[r].fixes.append(rec)
            return (events + [.fixResolved(step: step.id, rec)], res)
        }
        guard fix.writes else {
            // Advice the operator carries out elsewhere (start a tunnel, open a firewall): with a verify
            // block and consent, porthole waits for it within the verify budget.
            guard fix.verify != nil else { return done(.advice, .unresolved) }
            switch consent ?? options.consent {
            case .never: return done(.advice, .unresolved)
            case .ask(let ask): if !(await ask(proposal)) { return done(.declined, .unresolved) }
            case .always: break
            }
            let (verify, verdict) = try await verifyAfter(fix, step: step)
            rec.verify = verify
            events += (1...max(1, verify.attempts)).map { .verifying(step: step.id, attempt: $0, passed: verify.passed && $0 == verify.attempts) }
            return done(.advice, verify.passed ? .resolved(verdict) : .unresolved)
        }
        if options.dryRun, fix.action.isBackground {
            rec.output = "would start in the background: \(ShellQuote.join(proposal.command ?? [])) "
                + "(nothing was started: a local process has no server-side dry run)"
            return done(.dryRun, .stop("stopped at fix \(fix.id) (dry run; nothing was started)"))
        }
        if options.dryRun {
            let result = try await applier.dryRun(proposal)
            rec.output = trimmedOutput(result.stdoutText + result.stderrText)
            return done(.dryRun, .stop("stopped at fix \(fix.id) (dry run; nothing was written)"))
        }
        switch consent ?? options.consent {
        case .never:
            let nothing = fix.action.isBackground ? "nothing was started" : "nothing was written"
            return done(.offered, .stop("stopped at fix \(fix.id): \(nothing) (run with --yes to apply it)"))
        case .ask(let ask):
            if !(await ask(proposal)) { return done(.declined, .unresolved) }
        case .always:
            break
        }
        if fix.action.isBackground {
            let (decision, resolution) = try await startBackground(proposal, fix: fix, step: step, record: &rec, events: &events)
            return done(decision, resolution)
        }
        let (result, journalID, undo, targets) = try await applier.apply(proposal, now: env.context.clock.now)
        rec.journalID = journalID
        rec.undo = undo.map { ShellQuote.join(["kubectl"] + $0.args) + ($0.stdin != nil ? " < prior-object.json" : "") }
        rec.output = trimmedOutput(result.stdoutText + result.stderrText)
        guard result.exitCode == 0 else {
            let before = rec.output ?? ""
            rec.output = before + (before.isEmpty || before.hasSuffix("\n") ? "" : "\n") + FailedWrite.report(targets)
            return done(.failed, .unresolved)
        }
        let (verify, verdict) = try await verifyAfter(fix, step: step)
        rec.verify = verify
        events += (1...max(1, verify.attempts)).map { .verifying(step: step.id, attempt: $0, passed: verify.passed && $0 == verify.attempts) }
        return done(.applied, verify.passed ? .resolved(verdict) : .unresolved)
    }

    /// Applies a fix the operator asked for by name (the REPL's `apply` + `y`): by default the fix the
    /// latest failed verdict proposed. Journaled and verified like any fix; on success the run moves past the step.
    public mutating func apply(fix fixID: String? = nil, step stepID: String? = nil) async throws -> [RunEvent] {
        guard let r = session.steps.lastIndex(where: { stepID == nil ? $0.verdict?.level == .fail : $0.step == stepID }),
              let i = playbook.steps.firstIndex(where: { $0.id == session.steps[r].step }) else { return [] }
        let step = playbook.steps[i]
        guard let id = fixID ?? session.steps[r].verdict?.fix, let fix = step.fix(id) else { return [] }
        let (events, resolution) = try await handle(fix, step: step, recordIndex: r, consent: .always)
        guard case .resolved(let v) = resolution else { return events }
        session.steps[r].verdict = v
        session.outcome = nil
        return events + [.judged(step: step.id, v)] + advance(from: i, lastVerdict: v)
    }

    /// Re-probes until the step passes or the budget runs out. Without a verify block: one re-run of the step's probes.
    /// `stillRunning` (a `background` fix's process) ends the wait early when it returns false.
    mutating func verifyAfter(_ fix: Fix, step: Step, stillRunning: (() throws -> Bool)? = nil) async throws -> (VerifyRecord, Verdict) {
        let clock = env.context.clock
        let start = clock.now
        let budget = fix.verify?.timeout ?? 0
        let interval = fix.verify?.interval ?? 1
        let chosen = fix.verify.map { v in step.probes.filter { v.probes.contains($0.id) } } ?? step.probes
        var attempts = 0
        var records: [ProbeRecord] = []
        var verdict: Verdict
        while true {
            attempts += 1
            await env.snapshots.invalidate()
            records = try await ProbeRunner.runAll(chosen, variables: variables, in: env)
            var docs = lastProbes[step.id] ?? [:]
            for rec in records { docs[rec.probe] = rec.document }
            _ = Judge.capture(step.captures, probes: docs, into: &variables)
            lastProbes[step.id] = docs
            verdict = Judge.verdict(for: step, scope: MatchScope(probes: docs, variables: variables), catalog: env.findings.catalog)
            let waited = clock.now.timeIntervalSince(start)
            if verdict.level != .fail || waited + interval > budget { break }
            if let alive = stillRunning, !(try alive()) { break }
            await clock.sleep(seconds: interval)
        }
        let record = VerifyRecord(attempts: attempts, passed: verdict.level != .fail, waited: clock.now.timeIntervalSince(start), probes: records)
        return (record, verdict)
    }
}
