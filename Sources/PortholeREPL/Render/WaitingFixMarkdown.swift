import Foundation
import PortholeCore

/// The step whose fix waits for the operator, as markdown for `export`: its probes, its verdict and the
/// proposed fix. The engine records the step only once the fix is applied or declined, so without this
/// an export made while a fix waits would miss what the screen showed last.
struct WaitingFixMarkdown {
    let proposal: FixProposal
    let title: String
    let redactor: Redactor

    func lines() -> [String] {
        let p = proposal
        var md = ["### Waiting for a decision: \(redactor.redact(title)) (`\(p.step)`)", ""]
        for r in p.probes.map(redactor.redact) {
            md.append("- **\(r.probe)** (\(r.kind)) \(r.target): `\(r.status)` in \(formatDuration(r.duration))")
            if let c = r.command { md += ["  ```sh", "  " + ShellQuote.join(c), "  ```"] }
        }
        if !p.probes.isEmpty { md.append("") }
        if let v = p.verdict {
            let code = v.finding.map { " ([\($0)](\(v.findingInfo?.docLink ?? "docs/findings/\($0).md")))" } ?? ""
            md += ["**\(v.level.rawValue.uppercased())**: \(redactor.redact(v.message))\(code)", ""]
        }
        md += ["#### Fix `\(p.fix.id)`: \(redactor.redact(p.fix.title)) (proposed; neither applied nor declined at export)", ""]
        if !p.fix.changes.isEmpty { md += [redactor.redact(p.fix.changes), ""] }
        if let w = p.warning { md += ["> ⚠️ \(redactor.redact(w))", ""] }
        if let c = p.command {
            let text = p.manifest.map { ShellQuote.join(c) + " <<'EOF'\n" + $0.trimmingCharacters(in: .newlines) + "\nEOF" } ?? ShellQuote.join(c)
            md += ["```sh"] + redactor.redact(text).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) + ["```", ""]
        }
        return md
    }
}
