import Foundation
import PortholeKube

/// A playbook being run, driven one step at a time (the CLI loops `runToEnd`; the REPL calls
/// `runToNextDecision`, `step`, `probe`, `skip`, `back`). Every method returns the events it caused;
/// `session` is the full record at any moment.
public struct PlaybookRun: Sendable {
    public let playbook: Playbook
    public let options: RunOptions
    let env: ProbeEnvironment
    let journal: UndoJournal
    public internal(set) var session: Session
    public internal(set) var variables: [String: String]
    /// Index of the step `step()` runs next; nil when finished.
    public internal(set) var position: Int?
    var history: [Int] = []
    var visits: [String: Int] = [:]
    /// Probe results of the last visit of each step, by step id (for `explain`, verify and the REPL).
    public internal(set) var lastProbes: [String: [String: JSONValue]] = [:]

    /// - Parameters:
    ///   - inputs: `--var` values; they override the playbook's defaults.
    ///   - cluster: what `Preflight.check` found.
    ///   - snapshots: a source shared with other runs (it must read at least `resources(playbook, findings)`).
    public init(playbook: Playbook, inputs: [String: String], cluster: ClusterInfo, options: RunOptions,
                context: PortholeContext, findings: FindingsService, snapshots: SnapshotSource? = nil) {
        self.playbook = playbook
        self.options = options
        let kubectl = Kubectl(options: options.kube, context: context)
        // A diagnosis passes one shared source covering every playbook, so the cluster is read once.
        env = ProbeEnvironment(context: context, kubectl: kubectl,
                               snapshots: snapshots ?? SnapshotSource(kubectl: kubectl, resources: Self.resources(playbook, findings)),
                               findings: findings)
        journal = UndoJournal(path: options.journalPath, files: context.files)
        var values = playbook.defaults
        values.merge(inputs) { _, new in new }
        variables = values
        session = Session(startedAt: context.clock.now, playbook: PlaybookHeader(id: playbook.id, title: playbook.title, source: playbook.source),
                          inputs: values, cluster: cluster, dryRun: options.dryRun, consent: options.consent.name)
        position = playbook.steps.isEmpty ? nil : 0
    }

    /// Every resource the playbook reads from the snapshot: object probes, fix targets, findings checks.
    static func resources(_ p: Playbook, _ f: FindingsService) -> [String] {
        var out: [String] = []
        for s in p.steps {
            for probe in s.probes { if case .object(let q) = probe.kind { out.append(q.resource) } }
            if s.probes.contains(where: { if case .findings = $0.kind { return true } else { return false } }) {
                out += f.checks?.resources ?? []
            }
        }
        return out
    }

    public var isFinished: Bool { session.outcome != nil }
    public var currentStep: Step? { position.map { playbook.steps[$0] } }

    /// Forgets the batched snapshot so the next probe reads the cluster again (after an undo, or the
    /// REPL's `probe`).
    public func refresh() async { await env.snapshots.invalidate() }

    /// Sets a variable (the REPL's `set k=v`).
    public mutating func set(_ name: String, _ value: String) { variables[name] = value }

    // MARK: - Driving

    /// Runs steps until the run finishes or a step ends failed (a point where the operator decides:
    /// apply a fix, set a variable, skip, go back). A step whose fix made it pass does not stop.
    public mutating func runToNextDecision() async throws -> [RunEvent] {
        var events: [RunEvent] = []
        while !isFinished {
            let e = try await step()
            events += e
            let last = e.last { if case .judged = $0 { return true } else { return false } }
            if case .judged(_, let v)? = last, v.level == .fail { break }
        }
        return events
    }

    /// Runs to the end (non-interactive runs).
    public mutating func runToEnd() async throws -> [RunEvent] {
        var events: [RunEvent] = []
        while !isFinished { events += try await step() }
        return events
    }

    /// Runs one step (the current one, or `id`): onlyIf, probes, captures, verdict, fix, verify, then moves on.
    public mutating func step(_ id: String? = nil) async throws -> [RunEvent] {
        if let id {
            guard let i = playbook.steps.firstIndex(where: { $0.id == id }) else { return [] }
            session.outcome = nil
            position = i
        }
        guard let i = position else { return [] }
        return try await execute(i)
    }

    /// Runs probes of a step (default: the current one) without judging, e.g. the REPL's `probe ID`.
    public mutating func probe(_ probeID: String? = nil, step stepID: String? = nil) async throws -> [ProbeRecord] {
        guard let step = stepID.flatMap({ playbook.step($0) }) ?? currentStep else { return [] }
        let chosen = step.probes.filter { probeID == nil || $0.id == probeID }
        let records = try await ProbeRunner.runAll(chosen, variables: variables, in: env)
        for r in records { lastProbes[step.id, default: [:]][r.probe] = r.document }
        return records
    }

    /// Skips the current step (recorded), moving to the next.
    public mutating func skip(reason: String = "skipped by the operator") -> [RunEvent] {
        guard let i = position else { return [] }
        let s = playbook.steps[i]
        session.steps.append(StepRecord(step: s.id, title: s.title, why: s.why, skipped: reason, probes: [], captures: [:], verdict: nil, fixes: []))
        history.append(i)
        var events: [RunEvent] = [.stepSkipped(step: s.id, reason: reason)]
        events += advance(from: i, lastVerdict: nil)
        return events
    }

    /// Goes back to the step run before the current one.
    public mutating func back() -> Step? {
        guard let last = history.popLast() else { return nil }
        session.outcome = nil
        position = last
        return playbook.steps[last]
    }

    // MARK: - One step

    /// Text with the variables known now; a reference to an unset one stays as written.
    func resolved(_ text: String) -> String { Template.display(text, variables) }

    mutating func execute(_ i: Int) async throws -> [RunEvent] {
        let step = playbook.steps[i]
        history.append(i)
        visits[step.id, default: 0] += 1
        let title = resolved(step.title)
        var events: [RunEvent] = [.stepStarted(step: step.id, title: title)]
        if visits[step.id]! > options.maxVisits {
            return events + finish(reached: false, "step \(step.id) was entered \(options.maxVisits) times; stopping instead of looping")
        }
        var record = StepRecord(step: step.id, title: title, why: resolved(step.why), skipped: nil, probes: [], captures: [:], verdict: nil, fixes: [])
        if let gate = step.onlyIf, !gate.evaluate(in: MatchScope(variables: variables)) {
            record.skipped = "onlyIf did not match"
            session.steps.append(record)
            return events + [.stepSkipped(step: step.id, reason: "onlyIf did not match")] + advance(from: i, lastVerdict: nil)
        }
        let records = try await ProbeRunner.runAll(step.probes, variables: variables, in: env)
        record.probes = records
        events += records.map { .probed(step: step.id, $0) }
        var docs: [String: JSONValue] = [:]
        for r in records { docs[r.probe] = r.document }
        record.captures = Judge.capture(step.captures, probes: docs, into: &variables)
        if !record.captures.isEmpty { events.append(.captured(step: step.id, record.captures)) }
        lastProbes[step.id] = docs
        var verdict = Judge.verdict(for: step, scope: MatchScope(probes: docs, variables: variables), catalog: env.findings.catalog)
        record.verdict = verdict
        events.append(.judged(step: step.id, verdict))
        session.steps.append(record)
        let r = session.steps.count - 1

        guard verdict.level == .fail else { return events + advance(from: i, lastVerdict: verdict) }
        if let fixID = verdict.fix, let fix = step.fix(fixID) {
            let (fixEvents, resolution) = try await handle(fix, step: step, recordIndex: r)
            events += fixEvents
            switch resolution {
            case .resolved(let v):
                verdict = v
                session.steps[r].verdict = v
                events.append(.judged(step: step.id, v))
                return events + advance(from: i, lastVerdict: v)
            case .stop(let why):
                return events + finish(reached: false, why, suggestion: verdict.next)
            case .unresolved:
                break
            }
        }
        return events + follow(verdict, from: step)
    }

    enum Resolution { case resolved(Verdict), stop(String), unresolved }

    /// After a failed step: go where `next` says, or end the run.
    mutating func follow(_ verdict: Verdict, from step: Step) -> [RunEvent] {
        if let target = verdict.next?.step, let j = playbook.steps.firstIndex(where: { $0.id == target }) {
            position = j
            return [.moved(from: step.id, to: target, reason: verdict.next!.reason)]
        }
        return finish(reached: false, "step \(step.id) failed: \(verdict.message)", suggestion: verdict.next)
    }

    mutating func advance(from i: Int, lastVerdict: Verdict?) -> [RunEvent] {
        if i + 1 < playbook.steps.count {
            position = i + 1
            return []
        }
        let judged = session.steps.last { $0.verdict != nil }?.verdict
        let v = lastVerdict ?? judged
        let reached = v.map { $0.level != .fail } ?? false
        return finish(reached: reached, reached ? "goal reached: \(v!.message)" : "the last step did not pass")
    }

    /// Ends a run that an error stopped (the cluster went away, the journal could not be written): the session
    /// records why, and the undos still pending, so the summary and the transcript still say what was changed.
    public mutating func abort(_ why: String) {
        guard !isFinished else { return }
        _ = finish(reached: false, why)
    }

    mutating func finish(reached: Bool, _ summary: String, suggestion: NextHop? = nil) -> [RunEvent] {
        let outcome = FinalOutcome(goalReached: reached, summary: summary, suggestion: suggestion)
        session.outcome = outcome
        session.finishedAt = env.context.clock.now
        session.variables = variables
        session.pendingUndos = ((try? journal.pending()) ?? []).map(\.pendingUndo)
        position = nil
        return [.finished(outcome)]
    }
}
