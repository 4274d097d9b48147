import Foundation
import PortholeNet
import PortholeKube
import Yams

/// A Yams node with its key path, for reading playbooks with exact error locations.
struct NodeCursor {
    let node: Node
    let path: String
    let file: String

    var mark: SourceMark { SourceMark(node.mark) }
    var location: PlaybookLocation { PlaybookLocation(file: file, mark: mark, keyPath: path) }

    func child(_ key: String, _ node: Node) -> NodeCursor {
        NodeCursor(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    func element(_ index: Int, _ node: Node) -> NodeCursor {
        NodeCursor(node: node, path: "\(path)[\(index)]", file: file)
    }

    var typeName: String {
        switch node {
        case .scalar(let s):
            if s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) { return "null" }
            return "a scalar (`\(Self.excerpt(s.string))`)"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// A scalar as an error quotes it: its first line, at most 60 characters. A file that is no playbook at all
    /// (`--playbook /etc/passwd`, a binary) parses as one long scalar, which must not be echoed whole.
    static func excerpt(_ text: String) -> String {
        let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let cut = first.count > 60 ? String(first.prefix(60)) : first
        return cut + (cut.count < text.count ? "…" : "")
    }

    func wrongType(_ expected: String) -> PlaybookError {
        .wrongType(location, expected: expected, found: typeName)
    }

    /// Any non-null scalar, as text (a plain `9090` reads as "9090").
    func string() throws -> String {
        guard case .scalar(let s) = node, typeName != "null" else { throw wrongType("a string") }
        return s.string
    }

    /// A string that may use `${name}`; checked for well-formed references here, names later.
    func template() throws -> String {
        let s = try string()
        do { _ = try Template(s) } catch let e as Template.ParseError {
            switch e {
            case .unterminated: throw PlaybookError.invalidValue(location, detail: "`${` without a closing `}` (write `$${` for a literal `${`)")
            case .badName(let n): throw PlaybookError.invalidValue(location, detail: "`${\(n)}` is not a variable name")
            }
        }
        return s
    }

    func bool() throws -> Bool {
        guard case .scalar(let s) = node, s.style == .plain else { throw wrongType("true or false") }
        switch s.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw wrongType("true or false")
        }
    }

    /// `250ms`, `3s`, `1m` (decimals allowed) in seconds.
    func duration() throws -> Double {
        guard case .scalar(let s) = node else { throw wrongType("a duration like 250ms, 3s or 1m") }
        guard let d = Self.parseDuration(s.string) else {
            throw PlaybookError.invalidValue(location, detail: "`\(s.string)` is not a duration like 250ms, 3s or 1m")
        }
        return d
    }

    /// A positive duration (PortholeNet's parser, shared with the CLI's `--api-latency`).
    static func parseDuration(_ text: String) -> Double? {
        guard let d = PortholeNet.parseDuration(text), d > 0 else { return nil }
        return d
    }

    /// The value as JSON (matcher operands, where numbers stay numbers).
    func json() throws -> JSONValue {
        do { return try JSONValue(yamlNode: node) } catch {
            throw PlaybookError.invalidValue(location, detail: "\(error)")
        }
    }

    func sequence() throws -> [NodeCursor] {
        guard case .sequence(let seq) = node else { throw wrongType("a list") }
        return seq.enumerated().map { element($0.offset, $0.element) }
    }

    /// A list of strings; a single scalar is not accepted (say the list).
    func strings(template: Bool = true) throws -> [String] {
        try sequence().map { template ? try $0.template() : try $0.string() }
    }

    /// A mapping whose keys must all be in `allowed`; duplicate keys are refused.
    func mapping(allowed: [String]?) throws -> MappingCursor {
        guard case .mapping(let map) = node else { throw wrongType("a mapping") }
        var entries: [(key: String, keyMark: SourceMark, value: NodeCursor)] = []
        for (k, v) in map {
            guard case .scalar(let ks) = k else { throw wrongType("a mapping with text keys") }
            let keyLoc = PlaybookLocation(file: file, mark: SourceMark(k.mark), keyPath: path.isEmpty ? ks.string : "\(path).\(ks.string)")
            if entries.contains(where: { $0.key == ks.string }) { throw PlaybookError.duplicateKey(keyLoc, key: ks.string) }
            if let allowed, !allowed.contains(ks.string) {
                throw PlaybookError.unknownKey(keyLoc, key: ks.string, allowed: allowed)
            }
            entries.append((ks.string, SourceMark(k.mark), child(ks.string, v)))
        }
        return MappingCursor(cursor: self, entries: entries)
    }
}

/// The entries of a mapping, read by key.
struct MappingCursor {
    let cursor: NodeCursor
    let entries: [(key: String, keyMark: SourceMark, value: NodeCursor)]

    var keys: [String] { entries.map(\.key) }

    /// The value of `key` unless absent or written as null.
    func optional(_ key: String) -> NodeCursor? {
        guard let v = entries.first(where: { $0.key == key })?.value else { return nil }
        return v.typeName == "null" ? nil : v
    }

    func required(_ key: String) throws -> NodeCursor {
        guard let v = optional(key) else { throw PlaybookError.missingKey(cursor.location, key: key) }
        return v
    }

    func location(ofKey key: String) -> PlaybookLocation {
        guard let e = entries.first(where: { $0.key == key }) else { return cursor.location }
        return PlaybookLocation(file: cursor.file, mark: e.keyMark, keyPath: e.value.path)
    }
}
