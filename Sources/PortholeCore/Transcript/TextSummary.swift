import Foundation

/// The plain-text report a non-interactive run prints at the end (`--format text`).
public struct TextSummary: SessionRenderer {
    /// False when the steps were already printed live: only the outcome and the pending undos.
    public var includeSteps: Bool

    public init(includeSteps: Bool = true) { self.includeSteps = includeSteps }

    public func render(_ s: Session) -> String {
        var out: [String] = []
        for step in s.steps where includeSteps {
            if let why = step.skipped { out.append("- \(step.step): skipped (\(why))"); continue }
            out.append("\(step.verdict?.level.label ?? "----") \(step.step): \(step.verdict?.message ?? "")")
            for f in step.fixes {
                out.append("     fix \(f.fix): \(f.title) [\(f.decision.rawValue)]")
                if let w = f.warning { out.append("     warning: \(w)") }
                if f.decision == .offered || f.decision == .dryRun || f.decision == .declined, let c = f.command {
                    out.append("       " + ShellQuote.join(c) + (f.manifest != nil ? " <<'EOF'" : ""))
                    if let m = f.manifest { out += m.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false).map { "       " + $0 }; out.append("       EOF") }
                }
                if let o = f.output, f.decision == .dryRun { out += o.split(separator: "\n").map { "       | " + $0 } }
            }
        }
        if let o = s.outcome {
            out.append("")
            out.append(o.goalReached ? "Goal reached: \(o.detail)" : "Goal not reached: \(o.detail)")
            if let n = o.suggestion {
                out.append("Next: " + [n.step.map { "step \($0)" }, n.playbook.map { "playbook \($0)" }].compactMap { $0 }.joined(separator: ", ") + " (\(n.reason))")
            }
        }
        out.append("")
        if s.pendingUndos.isEmpty {
            out.append("Pending undos: none.")
        } else {
            out.append("Pending undos (run `porthole undo`, newest first):")
            for u in s.pendingUndos.reversed() { out.append("  \(u.journalID)  \(u.summary)"); out += u.commands.map { "      " + $0 } }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
