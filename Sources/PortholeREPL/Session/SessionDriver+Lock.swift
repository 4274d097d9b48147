import Foundation
import PortholeCore

extension SessionDriver {
    /// The context's write lock for one write (`apply`) or undo, so that a guided session and a
    /// `porthole --playbook ... --yes` (or `porthole undo`) on the same context never interleave their
    /// writes. Nil, with the holder named, when another porthole has it: the caller writes nothing.
    func writeLock(for what: String) -> HeldLock? {
        guard let journal else { return nil }
        do {
            return try ContextLock.acquire(journal: journal.path, files: context.files, command: "porthole guided session: \(what)", now: context.clock.now)
        } catch {
            report(error)
            return nil
        }
    }
}
