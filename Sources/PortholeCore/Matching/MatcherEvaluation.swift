import Foundation
import PortholeKube

public extension Matcher {
    /// Evaluates the matcher: a pure function of the scope. A leaf whose path or operand uses an unset
    /// variable, or whose path selects nothing, does not match (except `exists: false`).
    func evaluate(in scope: MatchScope) -> Bool {
        switch self {
        case .all(let ms): return ms.allSatisfy { $0.evaluate(in: scope) }
        case .any(let ms): return ms.contains { $0.evaluate(in: scope) }
        case .not(let m): return !m.evaluate(in: scope)
        case .test(let source, let path, let test):
            guard let values = try? Self.select(source, path: path, in: scope) else { return false }
            return Self.apply(test, to: values, variables: scope.variables)
        }
    }

    /// The values a leaf selects; throws when a variable in the path is unset or the path is malformed.
    static func select(_ source: MatchSource, path: String?, in scope: MatchScope) throws -> [JSONValue] {
        let document: JSONValue
        switch source {
        case .probe(let id):
            guard let d = scope.probes[id] else { return [] }
            document = d
        case .variable(let name):
            guard let v = scope.variables[name] else { return [] }
            // A variable is text; a path into it reads the text as JSON (captured objects are stored as JSON).
            if path == nil || path == "" { return [.string(v)] }
            document = (try? JSONValue.parse(v)) ?? .string(v)
        }
        guard let p = path, !p.isEmpty else { return [document] }
        let resolved = try Template(p).substitute(scope.variables)
        return try SelectionPath(resolved).select(in: document)
    }

    static func apply(_ test: MatchTest, to values: [JSONValue], variables: [String: String]) -> Bool {
        let present = values.filter { !$0.isNull }
        if case .exists(let want) = test { return present.isEmpty != want }
        guard let operand = try? resolve(test, variables) else { return false }
        switch test {
        case .equals:
            return present.contains { looselyEqual($0, operand) }
        case .contains:
            return present.contains { v in
                if let a = v.arrayValue { return a.contains { looselyEqual($0, operand) } }
                if case .string(let s) = v { return s.contains(operand.plainText) }
                return false
            }
        case .matches:
            guard let re = try? NSRegularExpression(pattern: operand.plainText) else { return false }
            return present.contains { v in
                guard case .array = v else {
                    if case .object = v { return false }
                    let s = v.plainText
                    return re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
                }
                return false
            }
        case .compare(let op, _):
            guard let bound = operand.doubleValue else { return false }
            return present.contains { $0.doubleValue.map { op.holds($0, bound) } ?? false }
        case .exists:
            return false
        }
    }

    /// The operand with `${name}` substituted in strings.
    static func resolve(_ test: MatchTest, _ variables: [String: String]) throws -> JSONValue {
        let raw: JSONValue
        switch test {
        case .equals(let v), .contains(let v), .compare(_, let v): raw = v
        case .matches(let s): raw = .string(s)
        case .exists: return .null
        }
        guard case .string(let s) = raw else { return raw }
        return .string(try Template(s).substitute(variables))
    }

    /// Every probe id the matcher reads.
    var probeIDs: [String] {
        switch self {
        case .test(.probe(let id), _, _): return [id]
        case .test: return []
        case .all(let ms), .any(let ms): return ms.flatMap(\.probeIDs)
        case .not(let m): return m.probeIDs
        }
    }
}
