import Foundation

/// A JSON document as a value: what kubectl prints, what the lab stores, what probes capture.
///
/// Integers stay integers (`.int`) so that ports and nodePorts round-trip exactly.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

public extension JSONValue {
    /// The member `key` of an object, or nil.
    subscript(key: String) -> JSONValue? {
        get { if case .object(let o) = self { return o[key] } else { return nil } }
        set {
            guard case .object(var o) = self else { return }
            o[key] = newValue
            self = .object(o)
        }
    }

    /// The element at `index` of an array, or nil.
    subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 1e15: return Int(d)
        case .string(let s): return Int(s)
        default: return nil
        }
    }
    var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let s): return Double(s)
        default: return nil
        }
    }
    var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }
    var isNull: Bool { if case .null = self { return true } else { return false } }

    /// Follows dotted keys (`metadata.name`), without JSONPath filters. Used for simple lookups.
    func value(atKeys keys: [String]) -> JSONValue? {
        var cur: JSONValue? = self
        for k in keys {
            guard let c = cur else { return nil }
            if let i = Int(k), case .array = c { cur = c[i] } else { cur = c[k] }
        }
        return cur
    }

    /// Text as kubectl's jsonpath would print a scalar: strings bare, numbers without ".0", JSON otherwise.
    var plainText: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): return s
        case .array, .object: return compactJSON
        }
    }
}

// MARK: - Conversion to and from Foundation and text

public enum JSONValueError: Error, Equatable, Sendable {
    /// The text was not JSON; `detail` is the parser's explanation.
    case notJSON(detail: String)
}

public extension JSONValue {
    /// Parses JSON text (UTF-8). Throws `JSONValueError.notJSON` naming the offset and the reason.
    static func parse(_ data: Data) throws -> JSONValue {
        var p = JSONParser(bytes: [UInt8](data))
        return try p.parseDocument()
    }

    static func parse(_ text: String) throws -> JSONValue { try parse(Data(text.utf8)) }

    /// Serialises with sorted keys; `pretty` indents like kubectl's `-o json`.
    func jsonData(pretty: Bool = false) -> Data {
        var out = String()
        JSONWriter.write(self, into: &out, pretty: pretty, indent: 0)
        return Data(out.utf8)
    }

    var compactJSON: String { String(decoding: jsonData(), as: UTF8.self) }
    var prettyJSON: String { String(decoding: jsonData(pretty: true), as: UTF8.self) }
}

/// A small, deterministic JSON writer (sorted keys, kubectl-like indentation, no escaped slashes).
enum JSONWriter {
    static func write(_ v: JSONValue, into out: inout String, pretty: Bool, indent: Int) {
        let nl = pretty ? "\n" : ""
        let pad = { (n: Int) -> String in pretty ? String(repeating: "    ", count: n) : "" }
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isFinite { out += d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) } else { out += "null" }
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "[" + nl
            for (i, e) in a.enumerated() {
                out += pad(indent + 1)
                write(e, into: &out, pretty: pretty, indent: indent + 1)
                if i < a.count - 1 { out += "," }
                out += nl
            }
            out += pad(indent) + "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{" + nl
            let keys = o.keys.sorted()
            for (i, k) in keys.enumerated() {
                out += pad(indent + 1)
                writeString(k, into: &out)
                out += pretty ? ": " : ":"
                write(o[k]!, into: &out, pretty: pretty, indent: indent + 1)
                if i < keys.count - 1 { out += "," }
                out += nl
            }
            out += pad(indent) + "}"
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }
}

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }
    public init(nilLiteral: ()) { self = .null }
}
