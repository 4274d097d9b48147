import Foundation

/// What a run reports as it goes; the CLI prints them, the REPL shows them, the session keeps the record.
public enum RunEvent: Sendable, Hashable {
    case stepStarted(step: String, title: String)
    case stepSkipped(step: String, reason: String)
    case probed(step: String, ProbeRecord)
    case captured(step: String, [String: String])
    case judged(step: String, Verdict)
    case fixProposed(FixProposal)
    case fixResolved(step: String, FixRecord)
    case verifying(step: String, attempt: Int, passed: Bool)
    case moved(from: String, to: String, reason: String)
    case finished(FinalOutcome)
}

extension FixProposal: Hashable {
    public static func == (a: FixProposal, b: FixProposal) -> Bool {
        a.step == b.step && a.fix == b.fix && a.command == b.command && a.manifest == b.manifest && a.warning == b.warning
    }

    public func hash(into h: inout Hasher) {
        h.combine(step)
        h.combine(fix)
        h.combine(command)
        h.combine(manifest)
    }
}
