import Foundation
import PortholeCore

extension SessionDriver {
    /// `use ID`: chooses an approach; the run starts at its first step with `run` or `next`.
    func use(_ id: String) async {
        guard state.playbookIDs.contains(id) || id.contains("/") else {
            let near = Suggest.closest(to: id, among: state.playbookIDs)
            misuse("no playbook `\(id)`" + (near.map { "; did you mean `\($0)`?" } ?? "; `playbooks` lists them"))
            return
        }
        await settlePending()
        guard let reading = state.reading else { return }
        do {
            let playbook = try library.load(id)
            let preset = state.presetVariables.filter { k, _ in playbook.inputs.contains { $0.name == k } }
            // A preset that does not fit this playbook's input format never reaches a fix.
            if let why = playbook.inputs.lazy.compactMap({ i in preset[i.name].flatMap(i.problem(with:)) }).first { throw UsageError(why) }
            let aside = state.presetVariables.keys.filter { preset[$0] == nil }.sorted()
            let resolved = PrometheusInputs.resolve(playbook, given: preset, snapshot: reading.snapshot)
            let inputs = resolved.inputs
            for (name, value) in inputs where KnownSecrets.isSecretName(name) { KnownSecrets.shared.learn(value, as: "secret input") }
            let journal = options.journalPath ?? UndoJournal.defaultPath(environment: context.environment, context: reading.info.context)
            let runOptions = RunOptions(kube: options.kube, consent: gate.policy, journalPath: journal)
            state.begin(PlaybookRun(playbook: playbook, inputs: inputs, cluster: reading.info, options: runOptions,
                                    context: context, findings: findings))
            say(TextWrap.wrap(playbook.title, width: style.width, first: "Using " + style.bold(playbook.id) + ": ", indent: "  "))
            if !aside.isEmpty {
                say(TextWrap.wrap("Left aside (not variables of \(playbook.id)): " + aside.joined(separator: ", "), width: style.width, indent: "  "))
            }
            if let note = resolved.note {
                say(TextWrap.wrap(note + " `set namespace=...` and `set service=...` choose another.", width: style.width, indent: "  "))
            }
            say(TextWrap.wrap("Steps: " + playbook.steps.map(\.id).joined(separator: ", "), width: style.width, indent: "  "))
            say("Type `run` to go to the first decision, `next` for one step.")
        } catch {
            report(error)
            if !style.interactive { state.forcedExit = .usage; finished = true }
        }
    }

    /// `run`: steps until a decision (a failed step, a fix waiting, the end). Without a playbook it
    /// accepts the proposed one.
    func runToDecision() async {
        if state.pending != nil {
            say("A fix is waiting: `fix` shows it, `apply` applies it, `skip` leaves it.")
            return
        }
        if state.run == nil {
            guard let id = state.proposed else { return say("No approach to run; `use ID` picks one.") }
            await use(id)
            if state.run == nil { return }
        }
        if state.run!.isFinished {
            return say("The run has finished; `step ID` runs a step again, `use ID` starts another approach.")
        }
        state.drive = .toDecision
        await continueRun()
    }

    /// Drives step after step while the drive is `toDecision` and the last verdict did not fail.
    func continueRun() async {
        while let run = state.run, !run.isFinished, !finished {
            let label = run.currentStep.map { "step \($0.id)" } ?? "step"
            guard case .finished(let events) = await perform(label, { try await $0.step() }) else { return }
            if state.drive == .oneStep { return }
            if Self.lastVerdict(events)?.level == .fail { return }
        }
    }

    /// `next`: one step.
    func nextStep() async {
        guard await ready() else { return }
        guard let run = state.run, !run.isFinished else { return say("The run has finished; `step ID` runs a step again.") }
        state.drive = .oneStep
        _ = await perform("step \(run.currentStep?.id ?? "")") { try await $0.step() }
    }

    /// `step ID`: runs that step (again), then stops.
    func jump(to id: String) async {
        guard await ready() else { return }
        guard let run = state.run else { return }
        guard run.playbook.step(id) != nil else {
            let near = Suggest.closest(to: id, among: run.playbook.steps.map(\.id))
            return misuse("\(run.playbook.id) has no step `\(id)`" + (near.map { "; did you mean `\($0)`?" } ?? ""))
        }
        state.drive = .oneStep
        _ = await perform("step \(id)") { try await $0.step(id) }
    }

    /// `probe`: runs the current step's probes again on a fresh read, without judging.
    func probe() async {
        guard let run = state.run, let step = run.currentStep ?? state.pending.flatMap({ run.playbook.step($0.step) }) else {
            return say("No step to probe: `use ID` first, or `step ID`.")
        }
        guard state.pending == nil else { return say("A fix is waiting: `fix` shows it, `apply` applies it, `skip` leaves it.") }
        let id = step.id
        guard case .finished(let events) = await perform("probing \(id)", { run in
            await run.refresh()
            return try await run.probe(step: id).map { RunEvent.probed(step: id, $0) }
        }) else { return }
        for case .probed(_, let r) in events where !r.output.isEmpty {
            say(trimmedOutput(r.output, limit: 600).split(separator: "\n").prefix(8).map { style.dim("    " + $0) })
        }
    }

    /// `skip`: declines a waiting fix, or leaves the current step.
    func skip() async {
        if let op = operation, state.pending != nil {
            say("Declined; the step goes on without it.")
            gate.answer(false)
            state.pending = nil
            if case .finished(let events) = await wait(op, "finishing the step"), state.drive == .toDecision,
               Self.lastVerdict(events)?.level != .fail {
                await continueRun()
            }
            return
        }
        guard state.run != nil, !state.run!.isFinished else { return say("Nothing to skip.") }
        say(state.run!.skip().flatMap(renderer.lines))
    }

    /// `back`: returns to the step run before this one.
    func back() async {
        await settlePending()
        guard state.run != nil else { return say("No playbook in use.") }
        if let step = state.run!.back() {
            say("Back at step \(step.id): \(step.title)")
        } else {
            say("Already at the first step.")
        }
    }

    /// Before `use`, `back`, `quit`: a waiting fix is declined and its step allowed to end.
    func settlePending() async {
        guard let op = operation, state.pending != nil else { return }
        say("(declining the waiting fix \(state.pending!.fix.id) first)")
        gate.answer(false)
        state.pending = nil
        _ = await wait(op, "finishing the step")
    }

    /// True when a playbook is in use and no fix waits.
    func ready() async -> Bool {
        if state.run == nil {
            say("No playbook in use: `run` starts the proposed one, `use ID` picks one.")
            return false
        }
        if state.pending != nil {
            say("A fix is waiting: `fix` shows it, `apply` applies it, `skip` leaves it.")
            return false
        }
        return true
    }
}
