import Foundation
import PortholeKube

/// The objects porthole read, which kinds the cluster serves, and what outside probes saw.
///
/// Everything the checks judge; built from kubectl's `List` JSON (live) or from manifests (offline).
public struct ClusterSnapshot: Sendable {
    /// Objects by kind (with group). Changing them drops the typed views computed so far.
    public var objects: [KindKey: [JSONValue]] { didSet { cache = SnapshotCache() } }
    /// Typed views computed once per set of objects (checks ask for them many times).
    var cache = SnapshotCache()
    /// Kinds the API server serves; nil when unknown (offline manifests).
    public var servedKinds: Set<KindKey>?
    /// Kinds that were read in full across all namespaces (`kubectl get ... -A`), so that "no such object" is a fact;
    /// nil for offline manifests (then only kinds with objects count as known). A live snapshot sets it.
    public var collectedKinds: Set<KindKey>?
    public var observations: [OutsideObservation]
    /// Objects that came from manifests a user wrote (offline `check -f`), not from the server.
    public var fromManifests: Set<ObjectReference>

    public init(objects: [KindKey: [JSONValue]] = [:], servedKinds: Set<KindKey>? = nil,
                collectedKinds: Set<KindKey>? = nil, observations: [OutsideObservation] = []) {
        self.objects = objects; self.servedKinds = servedKinds; self.collectedKinds = collectedKinds
        self.observations = observations; self.fromManifests = []
    }

    /// True for a read of a live cluster (the collected kinds are known), false for manifests alone.
    public var isLive: Bool { collectedKinds != nil }

    /// Every object of `kind`.
    public func items(_ kind: KindKey) -> [JSONValue] { objects[kind] ?? [] }

    /// True when the absence of an object of `kind` is a fact (the kind was read in full).
    public func knows(_ kind: KindKey) -> Bool {
        if let collectedKinds { return collectedKinds.contains(kind) || objects[kind] != nil }
        return objects[kind] != nil
    }

    /// Whether the cluster serves `kind`: true/false when known, nil when nobody could tell.
    /// Objects or a CRD of the kind count as served.
    public func serves(_ kind: KindKey) -> Bool? {
        if let servedKinds, servedKinds.contains(kind) { return true }
        if crdNames.contains("\(kind.kind.lowercased())s.\(kind.group)") || crdKinds.contains(kind) { return true }
        if let servedKinds { return servedKinds.contains(kind) }
        return objects[kind].map { $0.isEmpty ? nil : true } ?? nil
    }

    private var crdNames: Set<String> { Set(items(.crd).compactMap { $0["metadata"]?["name"]?.stringValue }) }
    private var crdKinds: Set<KindKey> {
        Set(items(.crd).compactMap { crd -> KindKey? in
            guard let g = crd["spec"]?["group"]?.stringValue, let k = crd["spec"]?["names"]?["kind"]?.stringValue else { return nil }
            return KindKey(k, group: g)
        })
    }

    /// Adds or replaces objects (same kind, namespace and name), e.g. manifests over a live read:
    /// "what if I applied these".
    public func applying(_ other: ClusterSnapshot) -> ClusterSnapshot {
        var out = self
        for (kind, list) in other.objects {
            var current = out.objects[kind] ?? []
            for obj in list {
                let ref = KubeObject(obj).reference
                current.removeAll { KubeObject($0).reference == ref }
                current.append(obj)
            }
            out.objects[kind] = current
        }
        out.fromManifests.formUnion(other.fromManifests)
        out.observations += other.observations
        return out
    }
}
