import Foundation
import PortholeCore
import PortholeKube

/// `fix`: what a proposed fix would change, as a diff of each target object (now vs. the server's
/// answer to the same write with `--dry-run=server`), plus the dry run's verdict. Writes nothing.
struct FixPreview {
    let kubectl: Kubectl

    /// The preview's lines; a refused dry run shows kubectl's error (what the webhook or API said).
    func lines(_ p: FixProposal, style: TerminalStyle) async throws -> [String] {
        if p.fix.action.isBackground {
            // Never `--dry-run=server` here: appended to a port-forward it would start the tunnel, or fail.
            return ["Fix \(p.fix.id) starts a process in the background and changes nothing in the cluster (no diff, no server dry run):",
                    "  " + ShellQuote.join(p.command ?? []),
                    "`apply` starts it (its pid and start time go to the journal); `undo` stops it."]
        }
        guard let command = p.command, command.first == "kubectl" else {
            return ["Fix \(p.fix.id) is advice only: nothing to run, nothing to diff."]
        }
        let args = Array(command.dropFirst(kubectl.options.argv([]).count))
        let stdin = p.manifest.map { Data($0.utf8) }
        var result = try await kubectl.run(args + ["--dry-run=server", "-o", "json"], stdin: stdin, timeout: 30)
        if result.exitCode != 0, result.stderrText.contains("unknown shorthand flag") || result.stderrText.contains("unknown flag") {
            result = try await kubectl.run(args + ["--dry-run=server"], stdin: stdin, timeout: 30)
        }
        var out = ["Server-side dry run: \(ShellQuote.join(command + ["--dry-run=server"]))"]
        guard result.exitCode == 0 else {
            out.append(style.fail("  refused by the server:"))
            out += trimmedOutput(result.stderrText, limit: 1200).split(separator: "\n").map { "  " + $0 }
            return out
        }
        out.append(style.pass("  accepted by the server (nothing was written)"))
        let answered = Self.objects(in: result.stdout)
        for t in p.fix.targets {
            guard let name = t.name else { continue }
            let before = try await kubectl.readObject(t)
            let after = answered.first { $0["metadata"]?["name"]?.stringValue == name
                && (t.namespace == nil || $0["metadata"]?["namespace"]?.stringValue == t.namespace) }
            out += diff(title: "\(t.resource)/\(name)" + (t.namespace.map { " -n \($0)" } ?? ""), before: before, after: after, style: style)
        }
        if p.fix.targets.isEmpty, let m = p.manifest {
            out.append("Manifest:")
            out += m.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        }
        return out
    }

    func diff(title: String, before: JSONValue?, after: JSONValue?, style: TerminalStyle) -> [String] {
        func text(_ o: JSONValue?) -> [String] {
            o.map { Self.shown($0).prettyJSON.split(separator: "\n").map(String.init) } ?? []
        }
        guard after != nil else { return ["\(title): (the dry run did not return it)"] }
        let lines = LineDiff.diff(text(before), text(after))
        let head = before == nil ? "\(title) (created):" : "\(title):"
        guard !lines.isEmpty else { return ["\(head) no change"] }
        return ["--- \(title) now", "+++ \(title) after the fix"] + lines.map { l in
            l.hasPrefix("+") ? style.pass(l) : l.hasPrefix("-") ? style.fail(l) : l
        }
    }

    /// The object without server bookkeeping and without kubectl's copy of the last applied manifest.
    static func shown(_ o: JSONValue) -> JSONValue {
        var out = ObjectComparison.normalized(o)
        if var annotations = out["metadata"]?["annotations"] {
            annotations["kubectl.kubernetes.io/last-applied-configuration"] = nil
            out["metadata"]?["annotations"] = annotations.objectValue?.isEmpty == true ? nil : annotations
        }
        return out
    }

    /// The objects a dry run printed: one object or a `List`.
    static func objects(in data: Data) -> [JSONValue] {
        guard let v = try? JSONValue.parse(data) else { return [] }
        if let items = v["items"]?.arrayValue { return items }
        return v["kind"] != nil ? [v] : []
    }
}
