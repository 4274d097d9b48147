import Foundation
import PortholeKube

/// A label selector as kubectl sends it: `a=b,c!=d,e,!f,g in (x,y),h notin (z)`.
struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String), notEquals(String, String), exists(String), notExists(String)
        case isIn(String, [String]), notIn(String, [String])
    }
    var requirements: [Requirement] = []

    init(_ text: String) throws {
        for term in Self.splitTerms(text) {
            let t = term.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            if let r = t.range(of: " notin ") ?? t.range(of: " in ") {
                let key = t[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
                let rest = t[r.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " ()"))
                let values = rest.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                requirements.append(t[r].contains("notin") ? .notIn(key, values) : .isIn(key, values))
            } else if let r = t.range(of: "!=") {
                requirements.append(.notEquals(String(t[..<r.lowerBound]), String(t[r.upperBound...])))
            } else if let r = t.range(of: "==") ?? t.range(of: "=") {
                requirements.append(.equals(String(t[..<r.lowerBound]), String(t[r.upperBound...])))
            } else if t.hasPrefix("!") {
                requirements.append(.notExists(String(t.dropFirst())))
            } else if t.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }) {
                requirements.append(.exists(t))
            } else {
                throw APIError.badRequest("unable to parse requirement: \(t)")
            }
        }
    }

    /// Splits on commas outside parentheses.
    static func splitTerms(_ text: String) -> [String] {
        var out: [String] = [], cur = "", depth = 0
        for ch in text {
            if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
            if ch == ",", depth == 0 { out.append(cur); cur = "" } else { cur.append(ch) }
        }
        out.append(cur)
        return out
    }

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { r in
            switch r {
            case .equals(let k, let v): return labels[k] == v
            case .notEquals(let k, let v): return labels[k] != v
            case .exists(let k): return labels[k] != nil
            case .notExists(let k): return labels[k] == nil
            case .isIn(let k, let vs): return labels[k].map { vs.contains($0) } ?? false
            case .notIn(let k, let vs): return labels[k].map { !vs.contains($0) } ?? true
            }
        }
    }

    func matches(_ object: JSONValue) -> Bool {
        let labels = (object["metadata"]?["labels"]?.objectValue ?? [:]).compactMapValues { $0.stringValue }
        return matches(labels)
    }
}

/// A field selector: `metadata.name=x,metadata.namespace!=y`, any dotted path compared as text.
struct FieldSelector: Sendable {
    var terms: [(path: [String], value: String, equal: Bool)] = []

    init(_ text: String) throws {
        for term in text.split(separator: ",") {
            let t = String(term)
            if let r = t.range(of: "!=") {
                terms.append((t[..<r.lowerBound].split(separator: ".").map(String.init), String(t[r.upperBound...]), false))
            } else if let r = t.range(of: "==") ?? t.range(of: "=") {
                terms.append((t[..<r.lowerBound].split(separator: ".").map(String.init), String(t[r.upperBound...]), true))
            } else {
                throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(t)'")
            }
        }
    }

    func matches(_ object: JSONValue) -> Bool {
        terms.allSatisfy { t in
            let actual = object.value(atKeys: t.path)?.plainText ?? ""
            return (actual == t.value) == t.equal
        }
    }
}

/// Both selectors of a list or watch request.
struct ListFilter: Sendable {
    var labels: LabelSelector?
    var fields: FieldSelector?

    init(labelSelector: String?, fieldSelector: String?) throws {
        labels = try labelSelector.flatMap { $0.isEmpty ? nil : try LabelSelector($0) }
        fields = try fieldSelector.flatMap { $0.isEmpty ? nil : try FieldSelector($0) }
    }

    func matches(_ object: JSONValue) -> Bool {
        (labels?.matches(object) ?? true) && (fields?.matches(object) ?? true)
    }
}
