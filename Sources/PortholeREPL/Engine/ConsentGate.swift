import Foundation
import PortholeCore

/// Where the engine waits for the operator: its consent callback suspends here until the session
/// answers (`apply` + y, `skip`, a cancelled operation), while the prompt stays live.
final class ConsentGate: @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: CheckedContinuation<Bool, Never>?
    private var onPending: (@Sendable (FixProposal) -> Void)?

    /// The policy handed to the engine.
    var policy: ConsentPolicy { .ask { [self] proposal in await self.ask(proposal) } }

    /// Who hears that a fix waits (the operation currently observed).
    func observe(_ handler: (@Sendable (FixProposal) -> Void)?) {
        lock.lock(); defer { lock.unlock() }
        onPending = handler
    }

    func ask(_ proposal: FixProposal) async -> Bool {
        await withCheckedContinuation { (k: CheckedContinuation<Bool, Never>) in
            lock.lock()
            waiting = k
            let tell = onPending
            lock.unlock()
            if let tell { tell(proposal) } else { answer(false) }
        }
    }

    /// Resumes the engine with the operator's answer; does nothing when nothing waits.
    func answer(_ yes: Bool) {
        lock.lock()
        let k = waiting
        waiting = nil
        lock.unlock()
        k?.resume(returning: yes)
    }

    var isWaiting: Bool {
        lock.lock(); defer { lock.unlock() }
        return waiting != nil
    }
}
