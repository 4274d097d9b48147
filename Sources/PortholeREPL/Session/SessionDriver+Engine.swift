import Foundation
import PortholeCore

extension SessionDriver {
    /// What one engine call came to.
    enum Ended {
        /// It finished; its events were printed.
        case finished([RunEvent])
        /// A fix waits for consent; the prompt is back.
        case waiting
        /// Failed; the run is as it was before.
        case stopped
        /// Cancelled (Ctrl-C); the run is as it was before (a write already started still finishes).
        case cancelled
    }

    /// Runs `work` on the current run while showing progress; Ctrl-C abandons it.
    func perform(_ label: String, _ work: @escaping EngineOperation.Work) async -> Ended {
        guard let run = state.run else { return .stopped }
        let op = EngineOperation(run: run, gate: gate, work: work)
        operation = op
        return await wait(op, label)
    }

    /// Waits for the operation's next signal with the spinner and the SIGINT source in place.
    func wait(_ op: EngineOperation, _ label: String) async -> Ended {
        spin(label)
        interrupts.start { op.interrupt() }
        let signal = await op.next()
        interrupts.stop()
        spinner.stop()
        switch signal {
        case .fixPending(let p):
            state.pending = p
            showPending(p)
            return .waiting
        case .finished(let run, let events):
            operation = nil
            state.pending = nil
            state.run = run
            say(events.filter { !shown.contains($0) }.flatMap(renderer.lines))
            shown = []
            return .finished(events)
        case .failed(let error):
            op.abandon()
            forget()
            report(error)
            return .stopped
        case .interrupted:
            op.abandon()
            forget()
            say(style.warn("Cancelled.") + " The run is where it was before; nothing further was started.")
            return .cancelled
        }
    }

    func forget() {
        operation = nil
        state.pending = nil
        shown = []
    }

    /// A waiting fix: the step, its probes and failed verdict (remembered, not printed twice), the proposal.
    func showPending(_ p: FixProposal) {
        let title = state.run?.playbook.step(p.step)?.title ?? ""
        var events: [RunEvent] = [.stepStarted(step: p.step, title: title)]
        events += p.probes.map { .probed(step: p.step, $0) }
        let unseen = events.filter { !shown.contains($0) }
        shown.formUnion(events)
        if let v = p.verdict { shown.insert(.judged(step: p.step, v)) }
        shown.insert(.fixProposed(p))
        say(unseen.flatMap(renderer.lines))
        say(renderer.proposal(p))
    }

    var renderer: EventRenderer { EventRenderer(style: style, variables: state.run?.variables ?? [:]) }

    /// The last verdict of a step's events (after a fix, the verify's).
    static func lastVerdict(_ events: [RunEvent]) -> Verdict? {
        for e in events.reversed() { if case .judged(_, let v) = e { return v } }
        return nil
    }
}
