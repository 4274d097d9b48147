import Foundation
import PortholeCore

/// Run events as the operator reads them at the prompt: one or two short lines each, within the width.
struct EventRenderer {
    let style: TerminalStyle
    /// Values for `${var}` in step titles.
    var variables: [String: String] = [:]

    func lines(_ event: RunEvent) -> [String] {
        let w = style.width
        switch event {
        case .stepStarted(let step, let title):
            let shown = (try? Template(title).substitute(variables)) ?? title
            return TextWrap.wrap(shown, width: w, first: style.bold("step \(step)") + ": ", indent: "  ")
        case .stepSkipped(_, let reason):
            return [style.dim("  skipped: \(reason)")]
        case .probed(_, let r):
            let target = r.target.count > 40 ? String(r.target.prefix(37)) + "..." : r.target
            // A findings probe names its codes: a long list wraps instead of running past the width.
            return TextWrap.wrap("\(r.probe) (\(r.kind) \(target)): \(r.status), \(formatDuration(r.duration))",
                                 width: w, first: "  probe ", indent: "      ").map(style.dim)
        case .captured(_, let values):
            let text = values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: " ")
            return TextWrap.wrap(text, width: w, first: "  set ", indent: "      ").map(style.dim)
        case .judged(_, let v):
            return verdict(v)
        case .fixProposed:
            return []
        case .fixResolved(_, let f):
            return fixResolved(f)
        case .verifying(_, let attempt, let passed):
            return [style.dim("  verify attempt \(attempt): \(passed ? "passed" : "not yet")")]
        case .moved(_, let to, let reason):
            return TextWrap.wrap(reason, width: w, first: "  -> step \(to): ", indent: "     ")
        case .finished(let o):
            var out = TextWrap.wrap(o.detail, width: w, first: o.goalReached ? style.pass("Goal reached") + ": " : style.fail("Goal not reached") + ": ",
                                    indent: "  ")
            if let n = o.suggestion {
                let target = [n.step.map { "step \($0)" }, n.playbook.map { "playbook \($0) (`use \($0)`)" }].compactMap { $0 }.joined(separator: ", ")
                out += TextWrap.wrap(n.reason, width: w, first: "  next: \(target): ", indent: "    ")
            }
            return out
        }
    }

    func verdict(_ v: Verdict) -> [String] {
        let tag: String
        switch v.level {
        case .pass: tag = style.pass("PASS")
        case .warn: tag = style.warn("WARN")
        case .fail: tag = style.fail("FAIL")
        }
        let code = v.finding.map { " [\($0)]" } ?? ""
        return TextWrap.wrap(v.message + code, width: style.width, first: "  \(tag) ", indent: "       ")
    }

    func fixResolved(_ f: FixRecord) -> [String] {
        var out = ["  fix \(f.fix): \(f.decision.rawValue)"]
        if let o = f.output, !o.isEmpty, f.decision == .applied || f.decision == .failed {
            out += o.split(separator: "\n").prefix(6).map { style.dim("    " + $0) }
        }
        if f.decision == .applied, !f.undo.isEmpty { out.append(style.dim("    recorded for undo (`undo` reverts it)")) }
        return out
    }

    /// A fix waiting for consent: what failed, what the fix changes, and how to decide.
    func proposal(_ p: FixProposal) -> [String] {
        let w = style.width
        var out: [String] = []
        if let v = p.verdict { out += verdict(v) }
        func sub(_ t: String) -> String { (try? Template(t).substitute(p.variables)) ?? t }
        out += TextWrap.wrap(sub(p.fix.title), width: w, first: style.bold("Proposed fix \(p.fix.id)") + ": ", indent: "  ")
        out += TextWrap.wrap(sub(p.fix.changes), width: w, first: "  ", indent: "  ")
        if let warning = p.warning { out += TextWrap.wrap(warning, width: w, first: "  " + style.warn("warning") + ": ", indent: "    ") }
        let background = p.fix.action.isBackground
        if let c = p.command {
            out += TextWrap.wrap(ShellQuote.join(c), width: w, first: background ? "  starts in the background: " : "  runs: ", indent: "    ")
        }
        out.append(background ? "Type `fix` for what it starts, `apply` to start it (`undo` stops it)," : "Type `fix` for the diff and the server's dry run, `apply` to apply it,")
        out.append("or `skip` to leave it.")
        return out
    }
}
