import Foundation
import PortholeCore

extension SessionDriver {
    /// `fix`: the waiting fix as a diff of its targets and the server's dry run. Writes nothing.
    func showFix() async {
        guard let p = state.pending else {
            return say("No fix is waiting. `run` goes to the next decision; a failed step proposes its fix.")
        }
        spin("server-side dry run")
        let preview = FixPreview(kubectl: Kubectl(options: options.kube, context: context))
        let style = style
        let outcome = await interruptible { try await preview.lines(p, style: style) }
        spinner.stop()
        switch outcome {
        case .success(let lines): say(lines)
        case .failure(let error): report(error)
        case nil: say(self.style.warn("Cancelled.") + " Nothing was written; `fix` shows it again.")
        }
    }

    /// `apply`: asks y/N, then lets the engine journal and write the fix, verify, and go on.
    func apply() async {
        guard let p = state.pending, let op = operation else {
            return say("No fix is waiting to be applied.")
        }
        guard p.fix.writes else {
            say("Fix \(p.fix.id) is advice only; nothing to apply.")
            return
        }
        guard confirm("Apply fix \(p.fix.id)?") else {
            say("Not applied. `skip` leaves it; `fix` shows it again.")
            return
        }
        guard let held = writeLock(for: "apply \(p.fix.id)") else { return say("Not applied; `apply` tries again.") }
        defer { held.release() }
        gate.answer(true)
        state.pending = nil
        guard case .finished(let events) = await wait(op, "applying \(p.fix.id)") else { return }
        if state.drive == .toDecision, Self.lastVerdict(events)?.level != .fail { await continueRun() }
    }
}
