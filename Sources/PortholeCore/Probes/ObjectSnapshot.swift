import Foundation
import PortholeKube

/// The cluster's objects of the kinds a playbook reads, taken in one batched `kubectl get` and
/// shared by every step until a write invalidates it.
public struct ObjectSnapshot: Sendable, Hashable {
    /// Objects by the resource name as the playbook wrote it.
    public var objects: [String: [JSONValue]]
    /// Why a resource has no answer (kind not served), by written name.
    public var unserved: [String: String]
    public var resources: [String: APIResource]
    /// The exact commands that built it, for the transcript.
    public var commands: [[String]]

    public init(objects: [String: [JSONValue]] = [:], unserved: [String: String] = [:], resources: [String: APIResource] = [:],
                commands: [[String]] = []) {
        self.objects = objects
        self.unserved = unserved
        self.resources = resources
        self.commands = commands
    }

    /// Every object, for the findings checks.
    /// Each object once, although two names of one kind (`services`, `services.v1.`) each list it.
    public var allObjects: [JSONValue] {
        var seen = Set<String>()
        return objects.keys.sorted().flatMap { objects[$0]! }.filter { o in
            let group = (o["apiVersion"]?.stringValue ?? "").split(separator: "/").dropLast().joined()
            let m = o["metadata"]
            return seen.insert("\(group)|\(o["kind"]?.stringValue ?? "")|\(m?["namespace"]?.stringValue ?? "")|\(m?["name"]?.stringValue ?? "")").inserted
        }
    }

    /// The result document of an `object` probe (see docs/playbooks.md).
    public func answer(_ q: ObjectQuery) -> JSONValue {
        if let why = unserved[q.resource] { return ["error": .string(why)] }
        guard let all = objects[q.resource] else { return ["error": .string("\(q.resource) was not read")] }
        let selected = all.filter { o in
            (q.namespace == nil || o["metadata"]?["namespace"]?.stringValue == q.namespace) &&
                (q.selector.map { Self.labels(of: o, match: $0) } ?? true)
        }
        if let name = q.name {
            guard let o = selected.first(where: { $0["metadata"]?["name"]?.stringValue == name }) else { return ["found": false] }
            return ["found": true, "object": o]
        }
        return ["items": .array(selected), "count": .int(selected.count)]
    }

    /// Equality-based label selector: `k=v,k2=v2`, `k!=v`, `k` (exists).
    static func labels(of object: JSONValue, match selector: String) -> Bool {
        let labels = object["metadata"]?["labels"]?.objectValue ?? [:]
        for term in selector.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !term.isEmpty {
            if let r = term.range(of: "!=") {
                if labels[String(term[..<r.lowerBound])]?.stringValue == String(term[r.upperBound...]) { return false }
            } else if let r = term.range(of: "==") ?? term.range(of: "=") {
                if labels[String(term[..<r.lowerBound])]?.stringValue != String(term[r.upperBound...]) { return false }
            } else if labels[term] == nil {
                return false
            }
        }
        return true
    }
}
