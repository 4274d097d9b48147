import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Undoer {
    /// Undoes a `background` fix: stops its process, identified by the pid and start time of the result
    /// record. When porthole was killed before that record, the process is found by the tag its intent
    /// recorded. A process already gone is reported as such, never as a failure or a drift: it holds no state.
    func stopProcesses(_ entry: JournalEntry) async throws -> UndoOutcome {
        let launcher = kubectl.context.processes
        var outcome = UndoOutcome(id: entry.id, summary: entry.intent.summary, status: .undone, drift: nil, commands: [])
        for stop in entry.intent.undo.compactMap(\.stop) {
            let command = ShellQuote.join(stop.argv)
            var handles: [ProcessHandle] = []
            if let h = entry.result?.process {
                handles = [h]
            } else if entry.result == nil {
                handles = try launcher.find(tag: stop.tag)
                outcome.details.append(handles.isEmpty
                    ? "porthole stopped while starting it and no process carries its tag: it never started, or has exited (\(command))"
                    : "porthole stopped while starting it; found by its tag: pid \(handles.map { String($0.pid) }.joined(separator: ", "))")
            }
            for h in handles {
                switch try await launcher.stop(h) {
                case .stopped(let signal):
                    outcome.details.append("stopped pid \(h.pid) with \(signal == SIGKILL ? "SIGKILL (it ignored SIGTERM)" : "SIGTERM"): \(command)")
                case .alreadyGone:
                    outcome.details.append("already stopped: pid \(h.pid) is not running (it exited, or was stopped outside porthole): \(command); "
                                           + "its output: \(stop.log)")
                }
            }
        }
        try journal.append(JournalRecord(id: entry.id, phase: .undone, time: kubectl.context.clock.now, summary: entry.intent.summary,
                                         note: outcome.details.joined(separator: "\n")))
        return outcome
    }
}
