import Foundation
import PortholeKube

/// Strategic merge patch (`application/strategic-merge-patch+json`) for the built-in kinds the lab serves.
///
/// Lists with a merge key merge element by element (Service `spec.ports` by `port`, containers and env by
/// `name`...); other lists are replaced. Directives: `$patch: delete|replace|merge`, `$setElementOrder/F`
/// (reorders), `$deleteFromPrimitiveList/F`, `$retainKeys` (ignored: it only prunes what the patch omits).
enum StrategicMerge {
    enum ListStrategy: Equatable { case mergeKey(String), set }

    /// The patch strategy of the list at `path` (field names from the object root, indexes left out).
    static func strategy(_ path: [String]) -> ListStrategy? {
        guard let last = path.last else { return nil }
        let parent = path.dropLast().last
        switch last {
        case "ports":
            if path == ["spec", "ports"] { return .mergeKey("port") }
            if parent == "containers" || parent == "initContainers" { return .mergeKey("containerPort") }
            return nil
        case "containers", "initContainers", "ephemeralContainers", "volumes", "env", "imagePullSecrets", "hostAliases":
            return .mergeKey(last == "hostAliases" ? "ip" : "name")
        case "volumeMounts": return .mergeKey("mountPath")
        case "volumeDevices": return .mergeKey("devicePath")
        case "conditions": return .mergeKey("type")
        case "addresses": return parent == "status" ? .mergeKey("type") : nil
        case "ownerReferences": return .mergeKey("uid")
        case "finalizers": return .set
        default: return nil
        }
    }

    static func apply(_ patch: JSONValue, to original: JSONValue) throws -> JSONValue {
        try merge(original, patch, path: []) ?? .object([:])
    }

    /// Nil means "delete this value" (a `$patch: delete` map).
    static func merge(_ original: JSONValue?, _ patch: JSONValue, path: [String]) throws -> JSONValue? {
        guard case .object(var p) = patch else { return patch }
        switch p["$patch"]?.stringValue {
        case "delete": return nil
        case "replace": p["$patch"] = nil; return .object(p)
        case nil, "merge": p["$patch"] = nil
        case let other?: throw APIError.badRequest("unknown patch type: \(other)")
        }
        var out = original?.objectValue ?? [:]
        var orders: [String: [JSONValue]] = [:]
        for (k, v) in p {
            if k.hasPrefix("$setElementOrder/") { orders[String(k.dropFirst(17))] = v.arrayValue; continue }
            if k.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(k.dropFirst(25))
                let drop = v.arrayValue ?? []
                if let cur = out[field]?.arrayValue { out[field] = .array(cur.filter { !drop.contains($0) }) }
                continue
            }
            if k.hasPrefix("$") { continue }
            let childPath = path + [k]
            if v.isNull { out[k] = nil; continue }
            switch v {
            case .object:
                out[k] = try merge(out[k], v, path: childPath)
            case .array(let items):
                out[k] = try mergeList(out[k]?.arrayValue, items, strategy: strategy(childPath), path: childPath)
            default:
                out[k] = v
            }
        }
        for (field, order) in orders {
            guard let items = out[field]?.arrayValue, case .mergeKey(let key)? = strategy(path + [field]) else { continue }
            let wanted = order.compactMap { $0[key] }
            let ranked = items.enumerated().sorted { a, b in
                let ia = wanted.firstIndex(of: a.element[key] ?? .null) ?? Int.max
                let ib = wanted.firstIndex(of: b.element[key] ?? .null) ?? Int.max
                return ia != ib ? ia < ib : a.offset < b.offset
            }
            out[field] = .array(ranked.map(\.element))
        }
        return .object(out)
    }

    static func mergeList(_ original: [JSONValue]?, _ patch: [JSONValue], strategy: ListStrategy?, path: [String]) throws -> JSONValue {
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return .array(patch.filter { $0["$patch"] == nil })
        }
        switch strategy {
        case nil:
            return .array(patch)
        case .set:
            var out = original ?? []
            for v in patch where !out.contains(v) { out.append(v) }
            return .array(out)
        case .mergeKey(let key):
            var out = original ?? []
            for item in patch {
                guard let kv = item[key] else {
                    if item["$patch"] == nil { out.append(item) }
                    continue
                }
                let idx = out.firstIndex { $0[key] == kv }
                if item["$patch"]?.stringValue == "delete" {
                    out.removeAll { $0[key] == kv }
                } else if let i = idx {
                    if let merged = try merge(out[i], item, path: path) { out[i] = merged } else { out.remove(at: i) }
                } else if let fresh = try merge(nil, item, path: path) {
                    out.append(fresh)
                }
            }
            return .array(out)
        }
    }
}
