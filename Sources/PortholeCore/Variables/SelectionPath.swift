import Foundation
import PortholeKube

/// A path into a result document: `a.b`, `a[0]`, `a[*].b`, `a[?(@.port==9090)].nodePort`,
/// `labels["app.kubernetes.io/name"]`. Selecting yields every value reached; none means *missing*.
public struct SelectionPath: Sendable, Hashable, CustomStringConvertible {
    public indirect enum Segment: Sendable, Hashable {
        case key(String)
        case index(Int)
        case wildcard
        /// `[?(@.a.b == value)]`, `!=`, or `[?(@.a.b)]` (exists); the path after `@` holds keys and indexes
        /// (`@.spec.rules[0].host`), each step reaching one value.
        case filter(path: [Segment], op: FilterOp, value: JSONValue?)
    }

    public enum FilterOp: String, Sendable, Hashable { case equal = "==", notEqual = "!=", exists = "" }

    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public let path: String
        public let offset: Int
        public let reason: String
        public var description: String { "cannot read path `\(path)` at character \(offset + 1): \(reason)" }
    }

    public let segments: [Segment]
    public let description: String

    public init(_ text: String) throws {
        var p = PathScanner(text: text)
        segments = try p.segments()
        description = text
    }

    /// Every value the path reaches in `document`, in document order.
    public func select(in document: JSONValue) -> [JSONValue] {
        var current = [document]
        for s in segments {
            var next: [JSONValue] = []
            for v in current {
                switch s {
                case .key(let k):
                    if let x = v[k] { next.append(x) }
                case .index(let i):
                    if let a = v.arrayValue {
                        let j = i < 0 ? a.count + i : i
                        if a.indices.contains(j) { next.append(a[j]) }
                    }
                case .wildcard:
                    if let a = v.arrayValue { next += a } else if let o = v.objectValue { next += o.keys.sorted().map { o[$0]! } }
                case .filter(let path, let op, let value):
                    let elements = v.arrayValue ?? []
                    next += elements.filter { Self.passes(Self.value(at: path, in: $0), op: op, value: value) }
                }
            }
            current = next
        }
        return current
    }

    /// The one value a filter's path (keys and indexes) reaches in `element`.
    static func value(at path: [Segment], in element: JSONValue) -> JSONValue? {
        var v: JSONValue? = element
        for s in path {
            switch s {
            case .key(let k): v = v?[k]
            case .index(let i):
                guard let a = v?.arrayValue else { return nil }
                let j = i < 0 ? a.count + i : i
                v = a.indices.contains(j) ? a[j] : nil
            case .wildcard, .filter: return nil
            }
        }
        return v
    }

    static func passes(_ found: JSONValue?, op: FilterOp, value: JSONValue?) -> Bool {
        switch op {
        case .exists: return found != nil && found != .null
        case .equal: return found.map { looselyEqual($0, value ?? .null) } ?? false
        case .notEqual: return !(found.map { looselyEqual($0, value ?? .null) } ?? false)
        }
    }
}

/// Equality where numbers and numeric strings compare as numbers (`"9090" == 9090`).
public func looselyEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
    if a == b { return true }
    switch (a, b) {
    case (.int, _), (.double, _), (_, .int), (_, .double):
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        return false
    case (.string(let s), .bool(let v)), (.bool(let v), .string(let s)):
        return s == (v ? "true" : "false")
    default:
        return false
    }
}

/// Reads path text into segments.
struct PathScanner {
    let text: String
    let chars: [Character]
    var i = 0

    init(text: String) { self.text = text; chars = Array(text) }

    mutating func segments() throws -> [SelectionPath.Segment] {
        var out: [SelectionPath.Segment] = []
        while i < chars.count {
            if chars[i] == "." {
                guard !out.isEmpty else { throw fail("a path cannot start with `.`") }
                i += 1
                out.append(.key(try name()))
            } else if chars[i] == "[" {
                out.append(try bracket())
            } else if out.isEmpty {
                out.append(.key(try name()))
            } else {
                throw fail("expected `.` or `[`")
            }
        }
        return out
    }

    mutating func name() throws -> String {
        let start = i
        while i < chars.count, chars[i] != ".", chars[i] != "[" { i += 1 }
        guard i > start else { throw fail("empty key") }
        return String(chars[start..<i])
    }

    mutating func bracket() throws -> SelectionPath.Segment {
        i += 1
        guard i < chars.count else { throw fail("unterminated `[`") }
        if chars[i] == "*" {
            i += 1
            try expect("]")
            return .wildcard
        }
        if chars[i] == "\"" || chars[i] == "'" {
            let s = try quoted()
            try expect("]")
            return .key(s)
        }
        if chars[i] == "?" {
            i += 1
            try expect("(")
            try expect("@")
            var keys: [SelectionPath.Segment] = []
            while i < chars.count, chars[i] == "." || (chars[i] == "[" && !keys.isEmpty) {
                if chars[i] == "[" {
                    let at = i
                    let index = try bracket()
                    guard case .index = index else { i = at; throw fail("a filter's path takes keys and indexes only") }
                    keys.append(index)
                    continue
                }
                i += 1
                let start = i
                while i < chars.count, !".[=!) ".contains(chars[i]) { i += 1 }
                guard i > start else { throw fail("empty key in filter") }
                keys.append(.key(String(chars[start..<i])))
            }
            guard !keys.isEmpty else { throw fail("a filter needs `@.key`") }
            skipSpaces()
            var op = SelectionPath.FilterOp.exists
            var value: JSONValue?
            if i + 1 < chars.count, chars[i + 1] == "=", chars[i] == "=" || chars[i] == "!" {
                op = chars[i] == "=" ? .equal : .notEqual
                i += 2
                skipSpaces()
                value = try literal()
                skipSpaces()
            }
            try expect(")")
            try expect("]")
            return .filter(path: keys, op: op, value: value)
        }
        let start = i
        if i < chars.count, chars[i] == "-" { i += 1 }
        while i < chars.count, chars[i].isNumber { i += 1 }
        guard let n = Int(String(chars[start..<i])) else { throw fail("expected an index, `*`, a quoted key or a filter") }
        try expect("]")
        return .index(n)
    }

    mutating func literal() throws -> JSONValue {
        guard i < chars.count else { throw fail("missing value") }
        if chars[i] == "\"" || chars[i] == "'" { return .string(try quoted()) }
        let start = i
        while i < chars.count, chars[i] != ")", chars[i] != " " { i += 1 }
        let word = String(chars[start..<i])
        guard !word.isEmpty else { throw fail("missing value") }
        if let n = Int(word) { return .int(n) }
        if let d = Double(word) { return .double(d) }
        if word == "true" || word == "false" { return .bool(word == "true") }
        return .string(word)
    }

    mutating func quoted() throws -> String {
        let q = chars[i]
        i += 1
        let start = i
        while i < chars.count, chars[i] != q { i += 1 }
        guard i < chars.count else { throw fail("unterminated quote") }
        defer { i += 1 }
        return String(chars[start..<i])
    }

    mutating func skipSpaces() { while i < chars.count, chars[i] == " " { i += 1 } }

    mutating func expect(_ c: Character) throws {
        guard i < chars.count, chars[i] == c else { throw fail("expected `\(c)`") }
        i += 1
    }

    func fail(_ reason: String) -> SelectionPath.ParseError {
        SelectionPath.ParseError(path: text, offset: i, reason: reason)
    }
}
