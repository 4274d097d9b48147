import Foundation

/// One or a few lines of text per run event, for the live progress of a non-interactive run
/// (and the REPL). Masked like every other output.
public struct EventPrinter: Sendable {
    let redactor = Redactor()
    public init() {}

    public func lines(_ event: RunEvent) -> [String] {
        let out: [String]
        switch event {
        case .stepStarted(let id, let title): out = ["== \(id): \(title)"]
        case .stepSkipped(let id, let reason): out = ["   \(id) skipped: \(reason)"]
        case .probed(_, let r):
            out = ["   probe \(r.probe) (\(r.kind)) \(r.target): \(r.status)"]
        case .captured(_, let values):
            out = ["   captured " + values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: " ")]
        case .judged(_, let v):
            out = ["   \(v.level.label): \(v.message)" + (v.finding.map { " [\($0)]" } ?? "")]
        case .fixProposed(let p):
            var l = ["   fix \(p.fix.id): \(p.fix.title)"]
            if !p.fix.changes.isEmpty { l.append("     changes: \(p.fix.changes)") }
            if let w = p.warning { l.append("     warning: \(w)") }
            if let c = p.command {
                l.append("     " + (p.fix.action.isBackground ? "starts in the background: " : "") + ShellQuote.join(c) + (p.manifest != nil ? " <<'EOF'" : ""))
            }
            if let m = p.manifest {
                l += m.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false).map { "     " + $0 }
                l.append("     EOF")
            }
            out = l
        case .fixResolved(_, let f):
            var l = ["   fix \(f.fix): \(f.decision.rawValue)"]
            if let o = f.output, !o.isEmpty { l += o.split(separator: "\n").map { "     | " + $0 } }
            if f.decision == .applied { l += f.undo.map { "     undo: " + $0 } }
            out = l
        case .verifying(_, let attempt, let passed):
            out = passed ? ["   verify attempt \(attempt): passed"] : []
        case .moved(let from, let to, let reason): out = ["   \(from) -> \(to): \(reason)"]
        case .finished: out = []
        }
        return out.map(redactor.redact)
    }
}
