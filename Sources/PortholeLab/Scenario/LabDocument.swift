import Foundation
import PortholeKube
import PortholeNet
import Yams

/// Decodes the `kind: LabScenario` document into `LabTopology`, with errors that point into the file.
enum LabDocument {
    static func decode(_ value: JSONValue, node: Node, file: String) throws -> LabTopology {
        var body = value
        body["apiVersion"] = nil
        body["kind"] = nil
        // Sections with an obvious default may be left out: nothing installed, no firewall, and an operator on
        // the nodes' own segments on bare metal (outside all of them in a cloud).
        if body["components"] == nil { body["components"] = [:] }
        if body["firewall"] == nil { body["firewall"] = ["defaultAction": "allow", "allow": []] }
        if body["operatorVantage"] == nil {
            let segments = body["environment"]?.stringValue == "cloud" ? [] : Array(Set((body["nodes"]?.arrayValue ?? []).compactMap { $0["segment"]?.stringValue })).sorted()
            body["operatorVantage"] = ["segments": .array(segments.map { .string($0) })]
        }
        let topology: LabTopology
        do {
            topology = try JSONDecoder().decode(LabTopology.self, from: body.jsonData())
        } catch let e as DecodingError {
            throw map(e, node: node, file: file)
        }
        // JSONDecoder ignores unknown keys; encoding back and comparing finds them (typos must not pass silently).
        let known = try JSONValue.parse(JSONEncoder().encode(topology))
        if let path = firstUnknown(body, known: known, path: []) {
            throw ScenarioError.unknownKey(file: file, mark: mark(node, path, keyMark: true), keyPath: render(path))
        }
        try checkLoopback(topology, node: node, file: file)
        return topology
    }

    enum PathElement { case key(String), index(Int) }

    static func render(_ path: [PathElement]) -> String {
        var s = ""
        for p in path {
            switch p {
            case .key(let k): s += s.isEmpty ? k : ".\(k)"
            case .index(let i): s += "[\(i)]"
            }
        }
        return s
    }

    static func firstUnknown(_ v: JSONValue, known: JSONValue?, path: [PathElement]) -> [PathElement]? {
        switch v {
        case .object(let o):
            for k in o.keys.sorted() where !(o[k]?.isNull ?? true) {
                guard let kv = known?[k] else { return path + [.key(k)] }
                if let p = firstUnknown(o[k]!, known: kv, path: path + [.key(k)]) { return p }
            }
        case .array(let a):
            for (i, e) in a.enumerated() {
                if let p = firstUnknown(e, known: known?[i], path: path + [.index(i)]) { return p }
            }
        default: break
        }
        return nil
    }

    /// The mark of the node at `path` (or of its key), falling back to the deepest node found.
    static func mark(_ root: Node, _ path: [PathElement], keyMark: Bool = false) -> SourceMark {
        var cur = root
        for (i, p) in path.enumerated() {
            switch (p, cur) {
            case (.key(let k), .mapping(let m)):
                guard let pair = m.first(where: { $0.key.string == k }) else { return SourceMark(cur.mark) }
                if keyMark && i == path.count - 1 { return SourceMark(pair.key.mark) }
                cur = pair.value
            case (.index(let n), .sequence(let s)):
                guard n < s.count else { return SourceMark(cur.mark) }
                cur = s[n]
            default:
                return SourceMark(cur.mark)
            }
        }
        return SourceMark(cur.mark)
    }

    /// `spec.ports[0].nodeport` as path elements.
    static func parsePath(_ text: String) -> [PathElement] {
        var out: [PathElement] = []
        for part in text.split(separator: ".") {
            var rest = Substring(part)
            if let bracket = rest.firstIndex(of: "[") {
                out.append(.key(String(rest[..<bracket])))
                rest = rest[bracket...]
                while let open = rest.firstIndex(of: "["), let close = rest.firstIndex(of: "]"), let i = Int(rest[rest.index(after: open)..<close]) {
                    out.append(.index(i))
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                out.append(.key(String(rest)))
            }
        }
        return out
    }

    static func codingPath(_ keys: [CodingKey]) -> [PathElement] {
        keys.map { k in k.intValue.map { .index($0) } ?? .key(k.stringValue) }
    }

    static func map(_ e: DecodingError, node: Node, file: String) -> ScenarioError {
        switch e {
        case .keyNotFound(let key, let ctx):
            let parent = codingPath(ctx.codingPath)
            return .missingKey(file: file, mark: mark(node, parent), keyPath: render(parent + [.key(key.stringValue)]))
        case .typeMismatch(let type, let ctx), .valueNotFound(let type, let ctx):
            let p = codingPath(ctx.codingPath)
            return .wrongType(file: file, mark: mark(node, p), keyPath: render(p), expected: describe(type))
        case .dataCorrupted(let ctx):
            let p = codingPath(ctx.codingPath)
            return .wrongType(file: file, mark: mark(node, p), keyPath: render(p), expected: "one of the allowed values (\(ctx.debugDescription))")
        @unknown default:
            return .wrongType(file: file, mark: SourceMark(node.mark), keyPath: "", expected: "\(e)")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        let t = "\(type)"
        if t.hasPrefix("Array") { return "a list" }
        if t.hasPrefix("Dictionary") { return "a mapping" }
        if t == "String" { return "a string" }
        if t == "Bool" { return "true or false" }
        if t == "Int" || t == "Double" { return "a number" }
        return "a mapping (\(t))"
    }

    static func checkLoopback(_ t: LabTopology, node: Node, file: String) throws {
        func check(_ address: String, _ path: [PathElement]) throws {
            let host = String(address.split(separator: "/").first ?? "")
            guard IPv4.isLoopback(host) else {
                throw ScenarioError.notLoopback(file: file, mark: mark(node, path), keyPath: render(path), address: address)
            }
        }
        for (i, n) in t.nodes.enumerated() {
            try check(n.internalIP, [.key("nodes"), .index(i), .key("internalIP")])
            if let e = n.externalIP { try check(e, [.key("nodes"), .index(i), .key("externalIP")]) }
            try check(n.segment, [.key("nodes"), .index(i), .key("segment")])
        }
        for (i, s) in t.operatorVantage.segments.enumerated() {
            try check(s, [.key("operatorVantage"), .key("segments"), .index(i)])
        }
    }
}
