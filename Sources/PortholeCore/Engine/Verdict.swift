import Foundation
import PortholeKube

/// The judgement of one step: the first outcome that matched, with its message resolved.
public struct Verdict: Sendable, Hashable, Codable {
    public var level: VerdictLevel
    public var message: String
    public var finding: String?
    /// The catalog's words for `finding`, when a catalog is wired.
    public var findingInfo: FindingInfo?
    public var fix: String?
    public var next: NextHop?
    /// Which outcome matched (index in the step), nil for the implicit "skipped".
    public var outcome: Int?

    public init(level: VerdictLevel, message: String, finding: String? = nil, findingInfo: FindingInfo? = nil,
                fix: String? = nil, next: NextHop? = nil, outcome: Int? = nil) {
        self.level = level
        self.message = message
        self.finding = finding
        self.findingInfo = findingInfo
        self.fix = fix
        self.next = next
        self.outcome = outcome
    }
}

/// Judging is a pure function of the step and what was collected (troubleshoot's analyzers).
public enum Judge {
    /// First matching outcome wins; the loader guarantees a fallback. A probe that was skipped for an
    /// unset variable never makes a pass: a `pass` that reads a skipped probe becomes a `fail`.
    public static func verdict(for step: Step, scope: MatchScope, catalog: FindingCatalogLookup) -> Verdict {
        for (i, o) in step.outcomes.enumerated() where o.when?.evaluate(in: scope) ?? true {
            let info = o.finding.flatMap { catalog.info(code: $0) }
            var message = o.message.map { Template.display($0, scope.variables) } ?? info?.title ?? ""
            if message.isEmpty { message = o.message ?? defaultMessage(o.verdict) }
            message = message.trimmingCharacters(in: .whitespacesAndNewlines)
            let skipped = (o.when?.probeIDs ?? []).filter { scope.probes[$0]?["skipped"] != nil }
            if o.verdict == .pass, let s = skipped.first {
                let why = scope.probes[s]?["skipped"]?.plainText ?? "skipped"
                return Verdict(level: .fail, message: "probe \(s) did not run (\(why)); nothing was shown", outcome: i)
            }
            return Verdict(level: o.verdict, message: message, finding: o.finding, findingInfo: info, fix: o.fix, next: o.next, outcome: i)
        }
        return Verdict(level: .fail, message: "no outcome matched")
    }

    static func defaultMessage(_ level: VerdictLevel) -> String {
        switch level {
        case .pass: return "passed"
        case .warn: return "passed with a warning"
        case .fail: return "failed"
        }
    }

    /// Applies a step's captures to the variables, in order (later captures see earlier ones).
    public static func capture(_ captures: [Capture], probes: [String: JSONValue], into variables: inout [String: String]) -> [String: String] {
        var set: [String: String] = [:]
        for c in captures {
            let scope = MatchScope(probes: probes, variables: variables)
            let taken = c.when.map { $0.evaluate(in: scope) } ?? true
            let values = taken ? ((try? Matcher.select(.probe(c.probe), path: c.path, in: scope)) ?? []) : []
            let present = values.filter { !$0.isNull }
            var value: String?
            if present.count == 1 { value = present[0].plainText } else if present.count > 1 {
                value = present.map(\.plainText).joined(separator: ",")
            }
            if value == nil, let d = c.defaultValue { value = try? Template(d).substitute(variables) }
            if let v = value {
                variables[c.variable] = v
                set[c.variable] = v
            } else {
                variables.removeValue(forKey: c.variable)
            }
        }
        return set
    }
}
