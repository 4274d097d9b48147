import Foundation
import PortholeKube

/// RFC 6902 JSON Patch (`application/json-patch+json`): add (incl. `/-`), remove, replace, move, copy, test.
enum JSONPatch {
    static func apply(_ patch: JSONValue, to doc: JSONValue) throws -> JSONValue {
        guard let ops = patch.arrayValue else { throw APIError.badRequest("json patch must be an array of operations") }
        var out = doc
        for op in ops {
            guard let name = op["op"]?.stringValue, let path = op["path"]?.stringValue else {
                throw APIError.badRequest("json patch operation needs 'op' and 'path'")
            }
            let tokens = try pointer(path)
            switch name {
            case "add":
                out = try set(out, tokens, try value(op), insert: true)
            case "replace":
                guard get(out, tokens) != nil else { throw APIError(code: 422, reason: "Invalid", message: "replace operation does not apply: doc is missing key: \(path): missing value") }
                out = try set(out, tokens, try value(op), insert: false)
            case "remove":
                guard get(out, tokens) != nil else { throw APIError(code: 422, reason: "Invalid", message: "remove operation does not apply: doc is missing path: \"\(path)\": missing value") }
                out = try remove(out, tokens)
            case "move", "copy":
                guard let from = op["from"]?.stringValue, let v = get(out, try pointer(from)) else {
                    throw APIError(code: 422, reason: "Invalid", message: "\(name) operation does not apply: doc is missing from path")
                }
                if name == "move" { out = try remove(out, try pointer(from)) }
                out = try set(out, tokens, v, insert: true)
            case "test":
                guard get(out, tokens) == (try value(op)) else {
                    throw APIError(code: 422, reason: "Invalid", message: "testing value \(path) failed: test failed")
                }
            default:
                throw APIError.badRequest("Unexpected kind: \(name)")
            }
        }
        return out
    }

    static func value(_ op: JSONValue) throws -> JSONValue {
        guard let v = op["value"] else { throw APIError.badRequest("json patch operation \(op["op"]?.plainText ?? "") needs 'value'") }
        return v
    }

    /// RFC 6901 pointer tokens, unescaping ~1 and ~0.
    static func pointer(_ path: String) throws -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw APIError.badRequest("json patch path must start with '/': \(path)") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func get(_ doc: JSONValue, _ tokens: [String]) -> JSONValue? {
        var cur = doc
        for t in tokens {
            switch cur {
            case .object(let o): guard let n = o[t] else { return nil }; cur = n
            case .array(let a): guard let i = Int(t), a.indices.contains(i) else { return nil }; cur = a[i]
            default: return nil
            }
        }
        return cur
    }

    static func set(_ doc: JSONValue, _ tokens: [String], _ v: JSONValue, insert: Bool) throws -> JSONValue {
        guard let first = tokens.first else { return v }
        let rest = Array(tokens.dropFirst())
        switch doc {
        case .object(var o):
            if rest.isEmpty { o[first] = v; return .object(o) }
            guard let child = o[first] else { throw missing(tokens) }
            o[first] = try set(child, rest, v, insert: insert)
            return .object(o)
        case .array(var a):
            if rest.isEmpty {
                if first == "-" && insert { a.append(v); return .array(a) }
                guard let i = Int(first), i >= 0, i <= a.count, insert || i < a.count else { throw missing(tokens) }
                if insert { a.insert(v, at: i) } else { a[i] = v }
                return .array(a)
            }
            guard let i = Int(first), a.indices.contains(i) else { throw missing(tokens) }
            a[i] = try set(a[i], rest, v, insert: insert)
            return .array(a)
        default:
            throw missing(tokens)
        }
    }

    static func remove(_ doc: JSONValue, _ tokens: [String]) throws -> JSONValue {
        guard let first = tokens.first else { return .null }
        let rest = Array(tokens.dropFirst())
        switch doc {
        case .object(var o):
            if rest.isEmpty { o[first] = nil; return .object(o) }
            guard let child = o[first] else { throw missing(tokens) }
            o[first] = try remove(child, rest)
            return .object(o)
        case .array(var a):
            guard let i = Int(first), a.indices.contains(i) else { throw missing(tokens) }
            if rest.isEmpty { a.remove(at: i) } else { a[i] = try remove(a[i], rest) }
            return .array(a)
        default:
            throw missing(tokens)
        }
    }

    static func missing(_ tokens: [String]) -> APIError {
        APIError(code: 422, reason: "Invalid", message: "add operation does not apply: doc is missing path: \"/\(tokens.joined(separator: "/"))\": missing value")
    }
}
