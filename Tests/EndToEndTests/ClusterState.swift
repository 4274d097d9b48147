import Foundation
import PortholeCore
import PortholeKube
import PortholeLab

/// Every object of a lab, without what the server and the controllers own: what "the cluster is as it
/// was" means for the undo-fidelity test.
struct ClusterState: Equatable {
    /// Normalized objects by `resource.group/namespace/name`.
    var objects: [String: JSONValue]
    /// Raw uids by the same key (a changed uid means the object was deleted and created again).
    var uids: [String: String]

    /// metadata fields the API server rewrites on every write.
    static let serverFields = ["resourceVersion", "managedFields", "generation", "creationTimestamp", "uid"]

    /// Kinds that record what happened rather than state: controllers add Events as they react, and no
    /// undo can (or should) take a report back.
    static let records: Set<String> = ["events", "events.events.k8s.io"]

    init(_ store: ObjectStore) {
        var objects: [String: JSONValue] = [:], uids: [String: String] = [:]
        for (ref, o) in store.all() where !Self.records.contains(ref.key.description) {
            var x = o
            x["status"] = nil
            if var meta = x["metadata"] {
                uids[ref.description] = meta["uid"]?.stringValue
                for k in Self.serverFields { meta[k] = nil }
                x["metadata"] = meta
            }
            objects[ref.description] = x
        }
        self.objects = objects
        self.uids = uids
    }

    /// What differs from `before`, one entry per object; `recreated` names (`namespace/name`) may change uid.
    func differences(from before: ClusterState, recreated: Set<String> = []) -> [String] {
        var out: [String] = []
        for key in Set(objects.keys).union(before.objects.keys).sorted() {
            switch (before.objects[key], objects[key]) {
            case (nil, _?): out.append("left behind: \(key)")
            case (_?, nil): out.append("missing: \(key)")
            case let (a?, b?) where a != b: out.append("changed: \(key)\n" + ObjectComparison.diff(recorded: a, now: b))
            default:
                let nsName = key.split(separator: "/").suffix(2).joined(separator: "/")
                if before.uids[key] != uids[key], !recreated.contains(nsName), !recreated.contains(String(key.split(separator: "/").last!)) {
                    out.append("deleted and created again (uid changed): \(key)")
                }
            }
        }
        return out
    }

    /// Polls until the lab's state shows no difference from `before` (controllers converge), or `timeout`.
    static func settle(_ store: ObjectStore, to before: ClusterState, recreated: Set<String>, timeout: Double = 5) -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let diff = ClusterState(store).differences(from: before, recreated: recreated)
            if diff.isEmpty || Date() >= deadline { return diff }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
}
