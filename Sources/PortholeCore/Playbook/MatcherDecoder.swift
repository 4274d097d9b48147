import Foundation
import PortholeKube

extension PlaybookDecoder {
    static let matcherTests = ["equals", "contains", "matches", "exists", "gt", "ge", "lt", "le", "all", "any", "not"]

    /// Reads a matcher; `source`/`path` are inherited from an enclosing combination.
    func matcher(_ c: NodeCursor, source: MatchSource?, path: String?, onlyIf: Bool) throws -> Matcher {
        let m = try c.mapping(allowed: ["probe", "var", "path"] + Self.matcherTests)
        if m.optional("probe") != nil, m.optional("var") != nil {
            throw PlaybookError.invalidValue(c.location, detail: "a matcher reads `probe` or `var`, not both")
        }
        var src = source
        if let p = m.optional("probe") {
            let id = try p.string()
            notes.probeRefs.append(.init(text: id, location: p.location, step: step))
            if onlyIf { notes.onlyIfProbeRefs.append(.init(text: id, location: p.location, step: step)) }
            src = .probe(id)
        }
        if let v = m.optional("var") {
            let name = try v.string()
            notes.templates.append(.init(text: "${\(name)}", location: v.location, step: step))
            src = .variable(name)
        }
        let ownPath = try m.optional("path").map { try pathText($0) }
        let p = ownPath ?? path
        let tests = m.keys.filter { Self.matcherTests.contains($0) }
        guard tests.count == 1, let key = tests.first else {
            throw PlaybookError.invalidValue(c.location, detail: tests.isEmpty
                ? "a matcher needs one of: \(Self.matcherTests.joined(separator: ", "))"
                : "a matcher has one test, found \(tests.map { "`\($0)`" }.joined(separator: " and "))")
        }
        let t = try m.required(key)
        switch key {
        case "all", "any":
            let children = try t.sequence().map { try matcher($0, source: src, path: p, onlyIf: onlyIf) }
            return key == "all" ? .all(children) : .any(children)
        case "not":
            return .not(try matcher(t, source: src, path: p, onlyIf: onlyIf))
        default:
            break
        }
        guard let source = src else { throw PlaybookError.missingKey(c.location, key: "probe` or `var") }
        let test: MatchTest
        switch key {
        case "equals": test = .equals(try operand(t))
        case "contains": test = .contains(try operand(t))
        case "matches":
            let re = try text(t)
            notes.regexes.append(.init(text: re, location: t.location, step: step))
            test = .matches(re)
        case "exists": test = .exists(try t.bool())
        default:
            let value = try operand(t)
            guard value.doubleValue != nil || value.stringValue?.contains("${") == true else {
                throw PlaybookError.wrongType(t.location, expected: "a number", found: t.typeName)
            }
            test = .compare(CompareOp(rawValue: key)!, value)
        }
        return .test(source, path: p, test)
    }

    /// A matcher operand: numbers stay numbers, strings may use variables.
    func operand(_ c: NodeCursor) throws -> JSONValue {
        let v = try c.json()
        if case .string(let s) = v {
            _ = try c.template()
            notes.templates.append(.init(text: s, location: c.location, step: step))
        }
        return v
    }
}
