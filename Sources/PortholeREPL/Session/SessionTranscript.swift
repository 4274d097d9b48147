import Foundation
import PortholeCore

/// One outcome of `undo`, as the session said it, with when.
public struct UndoneLine: Sendable, Hashable {
    public var time: Date
    public var text: String
    public var details: [String]
}

/// One line the operator typed, with when.
public struct TypedLine: Sendable, Hashable, Codable {
    public var time: Date
    public var text: String
}

/// The export of a guided session: what porthole saw and proposed, every line typed, then each
/// playbook run as Core's markdown transcript of its `Session` value, all masked by Core's `Redactor`.
struct SessionTranscript {
    let overview: ClusterOverview?
    let ranking: [RankedChoice]
    let typed: [TypedLine]
    let runs: [Session]
    var undos: [UndoneLine] = []
    let catalog: FindingCatalogLookup
    /// The fix waiting for consent when the transcript was exported, with its step's title.
    var waiting: (proposal: FixProposal, title: String)? = nil

    func markdown() -> String {
        let redactor = Redactor()
        var md = ["# porthole guided session", ""]
        if let o = overview {
            md.append("## What porthole saw")
            md.append("")
            md += o.lines.map { "- " + redactor.redact($0) }
            md.append("")
        }
        if !ranking.isEmpty {
            md.append("## Approaches, ranked for this cluster")
            md.append("")
            for (i, r) in ranking.enumerated() {
                md.append("\(i + 1). `\(r.id)`\(r.viable ? "" : " (not viable here)"): \(redactor.redact(r.reason))")
            }
            md.append("")
        }
        md.append("## What the operator typed")
        md.append("")
        if typed.isEmpty {
            md.append("Nothing.")
        } else {
            md.append("```text")
            md += typed.map { "\(Self.clock($0.time))  \(redactor.redact($0.text))" }
            md.append("```")
        }
        md.append("")
        let renderer = MarkdownTranscript(catalog: catalog)
        for run in runs {
            md += renderer.render(redactor.redact(run)).split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasPrefix("#") ? "#" + line : String(line)
            }
        }
        if let w = waiting { md += WaitingFixMarkdown(proposal: w.proposal, title: w.title, redactor: redactor).lines() }
        if runs.isEmpty { md += ["No playbook was run.", ""] }
        if !undos.isEmpty {
            md += ["## Undone in this session", ""]
            for u in undos {
                md.append("- \(Self.clock(u.time))  \(redactor.redact(u.text))")
                md += u.details.map { "  - " + redactor.redact($0) }
            }
            md.append("")
        }
        return md.joined(separator: "\n")
    }

    static func clock(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "HH:mm:ss"
        return f.string(from: d)
    }
}

/// One approach as the session lists it (the planner's ranking, trimmed to what is shown).
public struct RankedChoice: Sendable, Hashable {
    public var id: String
    public var viable: Bool
    public var reason: String
    public var findings: [String]
}
