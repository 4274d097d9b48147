import Foundation
import PortholeKube

/// Which field manager last set which field of each object: enough of server-side apply's bookkeeping
/// for its conflicts (`kubectl apply --server-side` on fields another manager set, with other values,
/// fails unless `--force-conflicts`). Kept beside the store, not in `metadata.managedFields`.
///
/// Paths look like the real ones: `.spec.ports[port=80,protocol="TCP"].targetPort`; lists with a merge key
/// are tracked per element, other lists as one value. Status is not tracked (it is a subresource).
final class FieldOwnership: @unchecked Sendable {
    private let lock = NSLock()
    private var owners: [ObjectRef: [String: Set<String>]] = [:]
    /// The last configuration each manager applied to each object, to remove what it stops applying.
    private var lastApplied: [ObjectRef: [String: JSONValue]] = [:]

    /// Who owns an object nobody wrote through the API (scenario objects, controllers' objects): the
    /// installer its labels name, else `kubectl-client-side-apply` (how such objects are usually made).
    static func originalManager(_ o: JSONValue) -> String {
        let labels = o["metadata"]?["labels"]?.objectValue ?? [:]
        if labels["app.kubernetes.io/managed-by"]?.stringValue?.lowercased() == "helm" { return "helm" }
        if labels.keys.contains(where: { $0.hasPrefix("operator.istio.io/") }) { return "istio-operator" }
        return "kubectl-client-side-apply"
    }

    private func ownersLocked(_ r: ObjectRef, current: JSONValue) -> [String: Set<String>] {
        if let o = owners[r] { return o }
        return [Self.originalManager(current): Set(Self.leaves(current).keys)]
    }

    func created(_ r: ObjectRef, manager: String, object: JSONValue) {
        lock.lock(); defer { lock.unlock() }
        owners[r] = [manager: Set(Self.leaves(object).keys)]
    }

    func deleted(_ r: ObjectRef) {
        lock.lock(); owners[r] = nil; lastApplied[r] = nil; lock.unlock()
    }

    /// Server-side apply's removal rule: what `manager` applied before and leaves out now is removed from
    /// `merged`, unless another manager also owns it.
    func pruned(_ r: ObjectRef, manager: String, config: JSONValue, merged: JSONValue, current: JSONValue) -> JSONValue {
        lock.lock(); defer { lock.unlock() }
        guard let previous = lastApplied[r]?[manager] else { return merged }
        let others = ownersLocked(r, current: current).filter { $0.key != manager }.values.reduce(Set<String>()) { $0.union($1) }
        return Self.prune(merged, previous: previous, now: config, path: [], text: "") { prefix in
            others.contains { $0 == prefix || $0.hasPrefix(prefix + ".") || $0.hasPrefix(prefix + "[") }
        }
    }

    private static func prune(_ merged: JSONValue, previous: JSONValue, now: JSONValue, path: [String], text: String,
                              ownedByOthers: (String) -> Bool) -> JSONValue {
        switch (merged, previous) {
        case (.object(var m), .object(let p)):
            for (k, pv) in p where !["apiVersion", "kind"].contains(k) {
                let childText = "\(text).\(k)"
                if let nv = now[k] {
                    if let mv = m[k] { m[k] = prune(mv, previous: pv, now: nv, path: path + [k], text: childText, ownedByOthers: ownedByOthers) }
                } else if !ownedByOthers(childText) && !(path.isEmpty && k == "metadata") {
                    m[k] = nil
                }
            }
            return .object(m)
        case (.array(var items), .array(let p)):
            guard case .mergeKey(let key)? = StrategicMerge.strategy(path) else { return merged }
            let kept = Set((now.arrayValue ?? []).compactMap { $0[key] })
            for element in p {
                guard let kv = element[key] else { continue }
                let elementText = text + elementKey(element, key: key, path: path)
                if kept.contains(kv) {
                    if let i = items.firstIndex(where: { $0[key] == kv }), let nv = now.arrayValue?.first(where: { $0[key] == kv }) {
                        items[i] = prune(items[i], previous: element, now: nv, path: path, text: elementText, ownedByOthers: ownedByOthers)
                    }
                } else if !ownedByOthers(elementText) {
                    items.removeAll { $0[key] == kv }
                }
            }
            return .array(items)
        default:
            return merged
        }
    }

    /// A non-apply write: the manager takes the fields whose value it changed or added.
    func updated(_ r: ObjectRef, manager: String, old: JSONValue, new: JSONValue) {
        lock.lock(); defer { lock.unlock() }
        let before = Self.leaves(old), after = Self.leaves(new)
        var o = ownersLocked(r, current: old)
        let changed = Set(after.filter { before[$0.key] != $0.value }.keys)
        let gone = Set(before.keys).subtracting(after.keys)
        for m in Array(o.keys) { o[m]?.subtract(changed.union(gone)) }
        o[manager, default: []].formUnion(changed)
        owners[r] = o.filter { !$0.value.isEmpty }
    }

    /// The (manager, path) pairs an apply would overwrite with a different value.
    func conflicts(_ r: ObjectRef, manager: String, applied: JSONValue, current: JSONValue) -> [(manager: String, path: String)] {
        lock.lock(); defer { lock.unlock() }
        let now = Self.leaves(current)
        var out: [(String, String)] = []
        for (path, value) in Self.leaves(applied).sorted(by: { $0.key < $1.key }) where now[path] != nil && now[path] != value {
            for (m, paths) in ownersLocked(r, current: current).sorted(by: { $0.key < $1.key }) where m != manager && paths.contains(path) {
                out.append((m, path))
            }
        }
        return out
    }

    /// After an apply: the manager owns what it applied; with force, others lose those fields.
    func applied(_ r: ObjectRef, manager: String, applied: JSONValue, old: JSONValue, new: JSONValue) {
        lock.lock(); defer { lock.unlock() }
        var o = ownersLocked(r, current: old)
        let mine = Set(Self.leaves(applied).keys)
        let changed = Set(Self.leaves(new).filter { Self.leaves(old)[$0.key] != $0.value }.keys)
        for m in Array(o.keys) where m != manager { o[m]?.subtract(mine.intersection(changed)) }
        o[manager] = mine
        owners[r] = o.filter { !$0.value.isEmpty }
        lastApplied[r, default: [:]][manager] = applied
    }

    /// Leaf paths and values of an object's managed part (not status, not server-stamped metadata).
    static func leaves(_ object: JSONValue) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        guard case .object(let o) = object else { return out }
        for (k, v) in o where !["apiVersion", "kind", "status"].contains(k) {
            if k == "metadata", case .object(var m) = v {
                for stamp in ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink"] {
                    m[stamp] = nil
                }
                collect(.object(m), path: ["metadata"], text: ".metadata", into: &out)
            } else {
                collect(v, path: [k], text: ".\(k)", into: &out)
            }
        }
        return out
    }

    private static func collect(_ v: JSONValue, path: [String], text: String, into out: inout [String: JSONValue]) {
        switch v {
        case .object(let o) where !o.isEmpty:
            for (k, child) in o { collect(child, path: path + [k], text: "\(text).\(k)", into: &out) }
        case .array(let items):
            guard case .mergeKey(let key)? = StrategicMerge.strategy(path), items.allSatisfy({ $0[key] != nil }) else {
                out[text] = v
                return
            }
            for item in items {
                collect(item, path: path, text: text + elementKey(item, key: key, path: path), into: &out)
            }
        default:
            out[text] = v
        }
    }

    /// `[port=80,protocol="TCP"]` for Service ports (SSA keys them by port and protocol), `[name="x"]` otherwise.
    private static func elementKey(_ item: JSONValue, key: String, path: [String]) -> String {
        func render(_ v: JSONValue?) -> String {
            if case .string(let s)? = v { return "\"\(s)\"" }
            return v?.plainText ?? ""
        }
        if path == ["spec", "ports"] {
            return "[port=\(render(item["port"])),protocol=\"\(item["protocol"]?.stringValue ?? "TCP")\"]"
        }
        return "[\(key)=\(render(item[key]))]"
    }
}
