import Foundation
import PortholeCore

extension SessionDriver {
    /// Runs one parsed command.
    func handle(_ command: ReplCommand) async {
        switch command {
        case .empty: return
        case .help(let topic): help(topic)
        case .status: status()
        case .playbooks: listPlaybooks()
        case .use(let id): await use(id)
        case .run: await runToDecision()
        case .next: await nextStep()
        case .step(let id): await jump(to: id)
        case .probe: await probe()
        case .explain(let code): explain(code)
        case .fix: await showFix()
        case .apply: await apply()
        case .skip: await skip()
        case .back: await back()
        case .undo(let target): await undo(target)
        case .vars: vars()
        case .set(let key, let value): set(key, value)
        case .export(let path): export(path)
        case .quit: await quit()
        case .badArguments(let name, let usage): misuse("\(name): usage: \(usage)")
        case .unknown(let word, let suggestion):
            if ["y", "yes", "n", "no"].contains(word.lowercased()) {
                say("(no question is waiting for an answer)")
                return
            }
            misuse("unknown command `\(word)`" + (suggestion.map { "; did you mean `\($0)`?" } ?? "; type `help` for the commands"))
        }
    }

    /// A usage mistake: a message at the prompt; piped input stops with exit 2, like a bad command line.
    func misuse(_ message: String) {
        // Messages quote what was typed: shown, never obeyed by the terminal.
        complain("porthole: \(Visible.text(message))")
        if !style.interactive {
            state.forcedExit = .usage
            finished = true
        }
    }

    /// An error from the engine or kubectl, rendered in Core's one place; environment errors in piped
    /// input end the session with exit 3.
    func report(_ error: Error) {
        let status = RunPlaybook.report(error, to: context.output)
        if status == .environment, !style.interactive {
            state.forcedExit = .environment
            finished = true
        }
    }
}
