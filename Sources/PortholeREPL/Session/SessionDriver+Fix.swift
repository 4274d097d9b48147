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
        let before = Set(pendingUndos().map(\.id))
        gate.answer(true)
        state.pending = nil
        switch await wait(op, "applying \(p.fix.id)") {
        case .finished(let events):
            if state.drive == .toDecision, Self.lastVerdict(events)?.level != .fail { await continueRun() }
        case .cancelled: await sayWhetherWritten(p.fix.id, journaledBefore: before)
        case .waiting, .stopped: return
        }
    }

    /// After Ctrl-C during `apply`: a write already started finishes in the abandoned task and is
    /// journaled; wait for its result line (kubectl's own timeout bounds it), then say from the journal
    /// whether the cluster changed ("the run is where it was" alone would hide a write that happened).
    func sayWhetherWritten(_ fix: String, journaledBefore before: Set<String>) async {
        var fresh = pendingUndos().filter { !before.contains($0.id) }
        let deadline = context.clock.now.addingTimeInterval(60)
        while fresh.contains(where: { $0.result == nil }), context.clock.now < deadline {
            try? await Task.sleep(nanoseconds: 100_000_000)
            fresh = pendingUndos().filter { !before.contains($0.id) }
        }
        if fresh.isEmpty {
            say("Fix \(fix) was not written: nothing in the journal, nothing changed.")
        } else {
            say(TextWrap.wrap("Fix \(fix) was written and journaled (`undo` reverts it); its verify was not awaited: `probe` checks again.",
                              width: style.width))
        }
    }
}
