import Foundation
import PortholeFindings
import PortholeKube

/// Findings of one check, rendered as text, JSON or SARIF 2.1.0. Suppressed findings are listed as such.
public struct FindingsReport: Sendable {
    public var source: String
    public var findings: [Finding]

    public init(source: String, findings: [Finding]) {
        self.source = source
        self.findings = findings
    }

    var active: [Finding] { findings.filter { !$0.isSuppressed } }
    var suppressed: [Finding] { findings.filter(\.isSuppressed) }

    /// True when an unsuppressed finding is at `level` or worse.
    public func fails(at level: FindingLevel) -> Bool { active.contains { $0.level >= level } }

    /// Errors first, then warnings, then info; then by object and code.
    static func order(_ a: Finding, _ b: Finding) -> Bool {
        if a.level != b.level { return a.level > b.level }
        if a.object?.description != b.object?.description { return (a.object?.description ?? "") < (b.object?.description ?? "") }
        return a.code < b.code
    }

    public func render(_ format: FindingsFormat) -> String {
        switch format {
        case .text: return text()
        case .json: return json().prettyJSON + "\n"
        case .sarif: return sarif().prettyJSON + "\n"
        }
    }

    func text() -> String {
        var out = "porthole check: \(source)\n"
        if findings.isEmpty { return out + "No findings.\n" }
        for f in active + suppressed {
            let tag = f.isSuppressed ? "SUPPRESSED" : f.level.rawValue.uppercased()
            out += "\n\(tag.padding(toLength: 10, withPad: " ", startingAt: 0)) \(f.code)  \(f.message)\n"
            if let o = f.object { out += "           object: \(o)\(f.field.map { " (\($0))" } ?? "")\n" }
            if let s = f.suppression {
                out += "           suppressed: \(s.reason)\(s.until.map { " (until \($0))" } ?? "") [\(s.source)]\n"
            } else {
                out += "           fix: \(f.fix)\n"
            }
            out += "           docs: \(f.doc)\n"
        }
        let counts = Dictionary(grouping: active, by: \.level).mapValues(\.count)
        let parts = FindingLevel.allCases.sorted(by: >).compactMap { l in counts[l].map { "\($0) \(l.rawValue)\($0 == 1 ? "" : "s")" } }
        out += "\n\(active.count) finding\(active.count == 1 ? "" : "s")" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
        if !suppressed.isEmpty { out += ", \(suppressed.count) suppressed" }
        return out + ".\n"
    }

    func json() -> JSONValue {
        func item(_ f: Finding) -> JSONValue {
            var o: [String: JSONValue] = ["code": .string(f.code), "level": .string(f.level.rawValue), "title": .string(f.title),
                                         "message": .string(f.message), "cause": .string(f.cause), "fix": .string(f.fix), "doc": .string(f.doc)]
            if let obj = f.object { o["object"] = .string(obj.description) }
            if let field = f.field { o["field"] = .string(field) }
            if let s = f.suppression {
                o["suppressed"] = ["reason": .string(s.reason), "until": s.until.map(JSONValue.string) ?? .null, "source": .string(s.source)]
            }
            return .object(o)
        }
        return ["source": .string(source), "findings": .array(active.map(item)), "suppressed": .array(suppressed.map(item))]
    }

    func sarif() -> JSONValue {
        let codes = Array(Set(findings.map(\.code))).sorted()
        let rules: [JSONValue] = codes.compactMap { code in
            guard let f = findings.first(where: { $0.code == code }) else { return nil }
            return ["id": .string(code), "name": .string(f.title), "shortDescription": ["text": .string(f.title)],
                    "fullDescription": ["text": .string(f.cause)], "help": ["text": .string(f.fix)], "helpUri": .string(f.doc)]
        }
        let results: [JSONValue] = findings.map { f in
            var r: [String: JSONValue] = [
                "ruleId": .string(f.code),
                "level": .string(f.level == .error ? "error" : f.level == .warning ? "warning" : "note"),
                "message": ["text": .string(f.message)],
            ]
            if let o = f.object {
                r["locations"] = [["logicalLocations": [["fullyQualifiedName": .string(o.description), "kind": "object"]]]]
            }
            if let s = f.suppression {
                r["suppressions"] = [["kind": "inSource", "justification": .string(s.reason)]]
            }
            return .object(r)
        }
        return [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [["tool": ["driver": ["name": "porthole", "informationUri": "docs/findings/README.md", "rules": .array(rules)]],
                      "results": .array(results)]],
        ]
    }
}
