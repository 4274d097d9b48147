import Foundation
import PortholeCore
import PortholeFindings

extension SessionDriver {
    /// `help [command]`.
    func help(_ topic: String?) {
        if let topic {
            guard let e = CommandCatalog.entry(topic) else {
                return misuse("no command `\(topic)`" + (Suggest.closest(to: topic, among: CommandCatalog.names).map { "; did you mean `\($0)`?" } ?? ""))
            }
            return say(TextWrap.wrap(e.summary, width: style.width, first: style.bold(e.usage) + ": ", indent: "  "))
        }
        let width = CommandCatalog.entries.map(\.usage.count).max() ?? 10
        for e in CommandCatalog.entries {
            let pad = e.usage.padding(toLength: width, withPad: " ", startingAt: 0)
            say(TextWrap.wrap(e.summary, width: style.width, first: "  \(pad)  ", indent: String(repeating: " ", count: width + 4)))
        }
        say(TextWrap.wrap("Tab completes commands, playbooks, steps, variables and files; Ctrl-R searches history.", width: style.width))
    }

    /// `status`: the cluster, the approach and step, a waiting fix, pending undos.
    func status() {
        if let o = state.overview { say(o.lines.flatMap { TextWrap.wrap($0, width: style.width, indent: "  ") }) }
        guard let run = state.run else {
            say("No playbook in use; proposed: \(state.proposed ?? "none").")
            return say("\(pendingUndos().count) change(s) pending undo.")
        }
        say("Playbook \(run.playbook.id): " + (run.currentStep.map { "at step \($0.id) (\(sub($0.title)))" } ?? "finished"))
        if let o = run.session.outcome {
            say(TextWrap.wrap(o.detail, width: style.width, first: "Outcome: " + (o.goalReached ? "goal reached" : "goal not reached") + ": ", indent: "  "))
        }
        if let p = state.pending { say("Fix waiting: \(p.fix.id) (step \(p.step))") }
        say("\(pendingUndos().count) change(s) pending undo.")
    }

    /// `explain [CODE]`: a finding's cause, fix and doc; without a code, why the current step matters.
    func explain(_ code: String?) {
        if let code {
            guard let d = FindingCatalog.lookup(code) else {
                return misuse("no finding `\(code)`" + (Suggest.closest(to: code.uppercased(), among: FindingsCatalogCodes.all).map { "; did you mean `\($0)`?" } ?? ""))
            }
            say(style.bold("\(d.code) \(d.title)"))
            say(TextWrap.wrap(d.cause, width: style.width, first: "  cause: ", indent: "    "))
            say(TextWrap.wrap(d.fixTemplate, width: style.width, first: "  fix: ", indent: "    "))
            if let doc = DocPages.read(d.docPath, environment: context.environment, files: context.files) {
                say("  \(d.docPath):")
                say(doc.split(separator: "\n", omittingEmptySubsequences: false).prefix(40).map { "    " + $0 })
            } else {
                say("  doc: \(d.docPath)")
            }
            return
        }
        guard let run = state.run, let step = state.pending.flatMap({ run.playbook.step($0.step) }) ?? run.currentStep
            ?? run.session.steps.last.flatMap({ run.playbook.step($0.step) }) else {
            return say("Nothing to explain yet: `use ID`, or `explain CODE` for a finding.")
        }
        say(renderer.lines(.stepStarted(step: step.id, title: step.title)))
        say(TextWrap.wrap(sub(step.why), width: style.width, first: "  why: ", indent: "    "))
        let verdict = state.pending?.verdict ?? run.session.steps.last { $0.step == step.id }?.verdict
        if let v = verdict, let code = v.finding {
            say(renderer.verdict(v))
            if let info = findings.catalog.info(code: code) {
                say(TextWrap.wrap(info.cause, width: style.width, first: "  cause: ", indent: "    "))
                say("  doc: \(info.docLink) (`explain \(code)` shows it)")
            }
        }
    }

    /// `${var}` replaced with the run's values where they are set.
    func sub(_ text: String) -> String { (try? Template(text).substitute(state.run?.variables ?? [:])) ?? text }

    /// `vars`: the variables of the run (inputs and captures), with each input's description.
    func vars() {
        guard let run = state.run else {
            if state.presetVariables.isEmpty { return say("No playbook in use and nothing set yet.") }
            return say(state.presetVariables.keys.sorted().map { Redactor().redact("  \($0)=\(state.presetVariables[$0]!)") })
        }
        let inputs = Dictionary(run.playbook.inputs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for name in Set(inputs.keys).union(run.variables.keys).sorted() {
            let value = run.variables[name].map { $0.isEmpty ? "(empty)" : $0 } ?? "(unset)"
            say(TextWrap.wrap(inputs[name]?.description ?? "captured", width: style.width,
                              first: "  \(name)=\(Redactor().redact(value))  ", indent: "      "))
        }
    }

    /// `set K=V`: changes a variable of the run (or of the next playbook chosen).
    func set(_ key: String, _ value: String) {
        // The waiting fix's step runs on a copy of the run that replaces it when the step ends: a value
        // set now would be silently lost.
        if let p = state.pending {
            return say("A fix is waiting: `apply` or `skip` it before `set` (fix \(p.fix.id) was built from the current values).")
        }
        if let run = state.run, !run.playbook.inputs.contains(where: { $0.name == key }), run.variables[key] == nil {
            let near = Suggest.closest(to: key, among: variableNames)
            return misuse("\(run.playbook.id) has no variable `\(key)`" + (near.map { "; did you mean `\($0)`?" } ?? ""))
        }
        if let why = state.run?.playbook.inputs.first(where: { $0.name == key })?.problem(with: value) {
            return misuse(String(why.dropFirst("--var ".count)))
        }
        // Before any playbook: a name no playbook has is a typo that `use` would silently leave aside.
        if state.run == nil, let known = try? library.all().flatMap({ $0.inputs.map(\.name) }), !known.contains(key) {
            let near = Suggest.closest(to: key, among: Array(Set(known)).sorted())
            return misuse("no playbook has a variable `\(key)`" + (near.map { "; did you mean `\($0)`?" } ?? ""))
        }
        state.set(key, value)
        if KnownSecrets.isSecretName(key) { KnownSecrets.shared.learn(value, as: "secret input") }
        say(Redactor().redact("\(key)=\(value)"))
    }

    /// The transcript of the whole session so far, masked (with the step and fix waiting for an answer, if any).
    func transcriptText() -> String {
        let pending = pendingUndos().map(\.pendingUndo)
        var runs = state.sessions
        for i in runs.indices { runs[i].pendingUndos = i == runs.count - 1 ? pending : [] }
        if let run = state.run, !runs.isEmpty { runs[runs.count - 1].variables = run.variables }
        var transcript = SessionTranscript(overview: state.overview, ranking: state.ranking, typed: state.typed, runs: runs,
                                           undos: state.undos, catalog: findings.catalog)
        if let p = state.pending { transcript.waiting = (p, state.run?.playbook.step(p.step)?.title ?? p.step) }
        return transcript.markdown()
    }

    /// `--transcript FILE.md` at the end of the session: written there, or (when that fails) to porthole's own file, named.
    func writeTranscriptAtEnd() {
        guard let path = options.transcriptPath else { return }
        let export = TranscriptExport(path: path, files: context.files, environment: context.environment)
        do {
            switch try export.write(transcriptText(), name: "porthole-session", now: context.clock.now) {
            case .asked(let p): complain("porthole: transcript written to \(p)")
            case .fallback(let p, let why):
                complain("porthole: error: cannot write the transcript to \(path) (\(why)); it was written to \(p) instead")
                if state.forcedExit == nil { state.forcedExit = .environment }
            }
        } catch {
            complain("porthole: error: cannot write the transcript anywhere (\(error))")
            if state.forcedExit == nil { state.forcedExit = .environment }
        }
    }

    /// `export FILE.md`: the transcript of the whole session, masked.
    func export(_ typed: String) {
        let path = ExportPath.resolve(typed, environment: context.environment)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return misuse("export: \(path) is a directory; name a file in it (export \((path as NSString).appendingPathComponent("session.md")))")
        }
        let text = transcriptText()
        do {
            try context.files.write(path, Data(text.utf8))
            say("Transcript written to \(path).")
        } catch {
            report(error)
        }
    }
}
