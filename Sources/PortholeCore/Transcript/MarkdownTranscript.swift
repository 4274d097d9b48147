import Foundation

/// The session as GitHub-flavoured markdown: a header, then per step the exact commands, trimmed
/// output in `<details>`, the verdict with finding links, fixes with their undo, the outcome and the
/// undos still pending.
public struct MarkdownTranscript: SessionRenderer {
    let catalog: FindingCatalogLookup

    public init(catalog: FindingCatalogLookup = CodeFormatCatalog()) { self.catalog = catalog }

    public func render(_ s: Session) -> String {
        var md: [String] = []
        md.append("# porthole: \(s.playbook.title) (`\(s.playbook.id)`)")
        md.append("")
        md.append("| | |")
        md.append("| --- | --- |")
        md.append("| Started | \(timestamp(s.startedAt)) |")
        if let f = s.finishedAt { md.append("| Finished | \(timestamp(f)) |") }
        md.append("| Context | \(cell(s.cluster.context ?? "(current)")) |")
        md.append("| Server | \(cell(s.cluster.server ?? "(unknown)"))\(s.cluster.serverVersion.map { " (\($0))" } ?? "") |")
        if let k = s.cluster.kubeconfig { md.append("| Kubeconfig | `\(cell(k))` |") }
        md.append("| Playbook | `\(s.playbook.id)` from `\(cell(s.playbook.source))` |")
        md.append("| Writes | \(s.dryRun ? "dry run only" : s.consent == "yes" ? "allowed (--yes)" : s.consent == "ask" ? "asked each time" : "none (no consent)") |")
        if let o = s.outcome { md.append("| Outcome | \(o.goalReached ? "✅ goal reached" : "❌ goal not reached") |") }
        md.append("")
        if !s.inputs.isEmpty {
            md.append("**Inputs:** " + s.inputs.keys.sorted().map { "`\($0)=\(s.inputs[$0]!)`" }.joined(separator: ", "))
            md.append("")
        }
        for (i, step) in s.steps.enumerated() { md += render(step, number: i + 1) }
        md.append("## Outcome")
        md.append("")
        if let o = s.outcome {
            md.append("\(o.goalReached ? "✅" : "❌") \(o.summary)")
            if let n = o.suggestion {
                md.append("")
                md.append("Next: " + [n.step.map { "step `\($0)`" }, n.playbook.map { "playbook `\($0)`" }].compactMap { $0 }.joined(separator: ", ")
                          + ": \(n.reason)")
            }
        } else {
            md.append("The run has not finished.")
        }
        md.append("")
        md.append("## Pending undos")
        md.append("")
        if s.pendingUndos.isEmpty {
            md.append("None: nothing porthole wrote is waiting to be undone.")
        } else {
            md.append("Run `porthole undo` (newest first), or by hand:")
            md.append("")
            for u in s.pendingUndos {
                md.append("- \(u.summary) (journal `\(u.journalID)`)")
                md += fence(u.commands.joined(separator: "\n"), lang: "sh", indent: "  ")
            }
        }
        md.append("")
        return md.joined(separator: "\n")
    }

    func render(_ step: StepRecord, number: Int) -> [String] {
        var md: [String] = []
        let label = step.skipped != nil ? "SKIPPED" : step.verdict?.level.label ?? "not judged"
        md.append("## \(number). \(step.title) (`\(step.step)`): \(label)")
        md.append("")
        if !step.why.isEmpty {
            md.append("> " + step.why.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: "\n> "))
            md.append("")
        }
        if let why = step.skipped {
            md.append("Skipped: \(why).")
            md.append("")
            return md
        }
        for p in step.probes {
            md.append("- **\(p.probe)** (\(p.kind)) \(p.target): `\(p.status)` in \(formatDuration(p.duration))")
            if let c = p.command { md += fence(ShellQuote.join(c), lang: "sh", indent: "  ") }
            if !p.output.isEmpty { md += details("output", p.output, indent: "  ") }
        }
        if !step.probes.isEmpty { md.append("") }
        if !step.captures.isEmpty {
            md.append("Captured: " + step.captures.keys.sorted().map { "`\($0)=\(step.captures[$0]!)`" }.joined(separator: ", "))
            md.append("")
        }
        if let v = step.verdict {
            var line = "**\(v.level.label)**: \(v.message)"
            if let code = v.finding {
                let link = v.findingInfo?.docLink ?? "docs/findings/\(code).md"
                line += " ([\(code)](\(link)))"
            }
            md.append(line)
            if let info = v.findingInfo {
                md.append("")
                md.append("Cause: \(info.cause)  ")
                md.append("Fix: \(info.fix)")
            }
            md.append("")
        }
        for f in step.fixes { md += render(f) }
        return md
    }

    func render(_ f: FixRecord) -> [String] {
        var md: [String] = []
        md.append("### Fix `\(f.fix)`: \(f.title) (\(decision(f.decision)))")
        md.append("")
        if !f.changes.isEmpty { md.append(f.changes); md.append("") }
        if let w = f.warning { md.append("> ⚠️ \(w)"); md.append("") }
        if let c = f.command {
            let text = f.manifest.map { ShellQuote.join(c) + " <<'EOF'\n" + $0.trimmingCharacters(in: .newlines) + "\nEOF" } ?? ShellQuote.join(c)
            md += fence(text, lang: "sh", indent: "")
        }
        if let o = f.output, !o.isEmpty { md += details(f.decision == .dryRun ? "server dry run" : "output", o, indent: "") }
        if let v = f.verify {
            md.append("Verify: \(v.passed ? "passed" : "did not pass") after \(v.attempts) attempt\(v.attempts == 1 ? "" : "s") (\(formatDuration(v.waited))).")
            md.append("")
        }
        if !f.undo.isEmpty {
            md.append("Undo:")
            md += fence(f.undo.joined(separator: "\n"), lang: "sh", indent: "")
        }
        return md
    }

    func decision(_ d: FixDecision) -> String {
        switch d {
        case .offered: return "offered, not applied"
        case .declined: return "declined"
        case .dryRun: return "server dry run only"
        case .applied: return "applied"
        case .failed: return "failed"
        case .advice: return "advice"
        case .skipped: return "not run: a variable is unset"
        }
    }

    func fence(_ text: String, lang: String, indent: String) -> [String] {
        let ticks = text.contains("```") ? "````" : "```"
        return ["", indent + ticks + lang] + text.split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 } + [indent + ticks, ""]
    }

    func details(_ summary: String, _ text: String, indent: String) -> [String] {
        ["", indent + "<details><summary>\(summary)</summary>"] + fence(text, lang: "", indent: indent) + [indent + "</details>", ""]
    }

    func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}
