import Foundation
import Yams

/// Where a YAML node stands in its file (1-based line and column).
public struct SourceMark: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "\(line):\(column)" }
}

/// Why YAML text could not become JSON values.
public enum YAMLValueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The YAML parser refused the text.
    case syntax(mark: SourceMark?, detail: String)
    /// A mapping key that is not a scalar, or a value YAML allows and JSON does not.
    case unsupported(mark: SourceMark, detail: String)

    /// `LINE:COLUMN: detail`, to follow a file name.
    public var description: String {
        switch self {
        case .syntax(let m, let d): return (m.map { "\($0): " } ?? "") + (d.split(separator: "\n").first.map(String.init) ?? d)
        case .unsupported(let m, let d): return "\(m): \(d)"
        }
    }
}

/// How many values one YAML document may hold once its aliases are expanded. A few anchors that refer to each other
/// (`a1: [*a0, *a0, ...]`, the "billion laughs") expand to billions of values from a few lines: porthole would spin
/// and fill memory converting a hostile kubeconfig, scenario or manifest. Real ones hold thousands.
public let yamlValueBudget = 1_000_000

public extension JSONValue {
    /// Converts a Yams node: scalars resolve by YAML 1.1 core tags (as Kubernetes reads YAML), keys become strings.
    /// Throws `YAMLValueError.unsupported` past `yamlValueBudget` values (an alias bomb).
    init(yamlNode node: Node) throws {
        var budget = yamlValueBudget
        try self.init(yamlNode: node, budget: &budget)
    }

    private init(yamlNode node: Node, budget: inout Int) throws {
        budget -= 1
        guard budget >= 0 else {
            throw YAMLValueError.unsupported(mark: SourceMark(node.mark),
                                             detail: "more than \(yamlValueBudget) values once its aliases are expanded (an alias bomb?)")
        }
        switch node {
        case .scalar(let s):
            self = JSONValue.resolveScalar(s)
        case .sequence(let seq):
            var items: [JSONValue] = []
            for n in seq { items.append(try JSONValue(yamlNode: n, budget: &budget)) }
            self = .array(items)
        case .mapping(let map):
            var out: [String: JSONValue] = [:]
            for (k, v) in map {
                guard case .scalar(let ks) = k else {
                    throw YAMLValueError.unsupported(mark: SourceMark(k.mark), detail: "a mapping key must be a scalar")
                }
                if k.tag.description == "tag:yaml.org,2002:merge" || ks.string == "<<" {
                    if case .object(let merged) = try JSONValue(yamlNode: v, budget: &budget) { for (mk, mv) in merged where out[mk] == nil { out[mk] = mv } }
                    continue
                }
                out[ks.string] = try JSONValue(yamlNode: v, budget: &budget)
            }
            self = .object(out)
        case .alias:
            throw YAMLValueError.unsupported(mark: SourceMark(node.mark), detail: "unresolved YAML alias")
        }
    }

    /// Resolves a plain or quoted scalar the way `sigs.k8s.io/yaml` would.
    static func resolveScalar(_ s: Node.Scalar) -> JSONValue {
        if s.style != .plain { return .string(s.string) }
        let t = s.string
        switch t {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let i = Int(t) { return .int(i) }
        if t.hasPrefix("0x"), let i = Int(t.dropFirst(2), radix: 16) { return .int(i) }
        if t.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true,
           t.contains(where: { $0.isNumber }), let d = Double(t) { return .double(d) }
        return .string(t)
    }

    /// Every document of a multi-document YAML text, each with the mark of its start.
    static func yamlDocuments(_ text: String) throws -> [(value: JSONValue, node: Node)] {
        do {
            // Yams' `compose_all` sequence swallows errors after the first document: drive the parser directly.
            // Scalars are typed by `resolveScalar` (as sigs.k8s.io/yaml would), so Yams' regex resolver is not needed.
            let parser = try Parser(yaml: text, resolver: .basic)
            var out: [(JSONValue, Node)] = []
            while let node = try parser.nextRoot() {
                out.append((try JSONValue(yamlNode: node), node))
            }
            return out
        } catch let e as YamlError {
            throw YAMLValueError.syntax(mark: SourceMark(yamlError: e), detail: "\(e)")
        }
    }

    /// One YAML document (JSON is YAML too).
    static func yaml(_ text: String) throws -> JSONValue {
        let docs = try yamlDocuments(text)
        return docs.first?.value ?? .null
    }
}

public extension SourceMark {
    /// The 1-based position of a Yams mark; (0, 0) when Yams gives none.
    init(_ mark: Mark?) {
        self.init(line: mark?.line ?? 0, column: mark?.column ?? 0)
    }

    /// The position a Yams error reports, when it reports one.
    init?(yamlError e: YamlError) {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            self.init(line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            guard context.mark.line > 0 else { return nil }
            self.init(line: context.mark.line, column: context.mark.column)
        case .reader(_, let offset, _, let yaml):
            // Control characters and invalid UTF-8 stop the reader, which gives an offset in characters, not a mark.
            self.init(offset: offset ?? 0, in: yaml)
        default:
            return nil
        }
    }
}

extension SourceMark {
    /// The 1-based line and column of the `offset`-th character of `text` (the end when past it).
    init(offset: Int, in text: String) {
        var line = 1, column = 1
        for (i, c) in text.enumerated() {
            if i >= offset { break }
            if c == "\n" || c == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        self.init(line: line, column: column)
    }
}
