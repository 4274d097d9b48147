import Foundation
import PortholeKube

/// Identifies a kind of stored object independent of its API version: ("", "services"),
/// ("networking.istio.io", "gateways"). Istio's v1alpha3/v1beta1/v1 share one store.
public struct ResourceKey: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var resource: String
    public init(group: String, resource: String) { self.group = group; self.resource = resource }
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}

/// The address of one object: its kind, namespace ("" when cluster-scoped) and name.
public struct ObjectRef: Hashable, Sendable, CustomStringConvertible {
    public var key: ResourceKey
    public var namespace: String
    public var name: String
    public init(_ key: ResourceKey, namespace: String, name: String) { self.key = key; self.namespace = namespace; self.name = name }
    public var description: String { namespace.isEmpty ? "\(key)/\(name)" : "\(key)/\(namespace)/\(name)" }
}

/// A change to the store, as a watch or a controller sees it.
public struct StoreEvent: Sendable {
    public enum Kind: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    public var kind: Kind
    public var ref: ObjectRef
    /// The object after the change (before it, for deletions).
    public var object: JSONValue
    public var resourceVersion: Int
}

/// The lab's etcd: every object as JSON, a global resourceVersion, and subscribers.
///
/// Thread-safe. Writers pass whole objects; the store stamps metadata (uid, resourceVersion,
/// creationTimestamp, generation when spec changes). Subscribers are called after the lock is released,
/// in order, on the writer's thread.
public final class ObjectStore: @unchecked Sendable {
    private let lock = NSRecursiveLock()
    private var objects: [ObjectRef: JSONValue] = [:]
    private var revision = 1000
    private var subscribers: [(id: Int, fn: @Sendable (StoreEvent) -> Void)] = []
    private var nextSubscriber = 0
    private var uidCounter = 0
    /// A clock for creationTimestamp; tests may fix it.
    public var now: @Sendable () -> Date = { Date() }

    public init() {}

    /// The current global resourceVersion.
    public var resourceVersion: Int { lock.lock(); defer { lock.unlock() }; return revision }

    public func get(_ ref: ObjectRef) -> JSONValue? {
        lock.lock(); defer { lock.unlock() }
        return objects[ref]
    }

    /// Objects of one kind, in one namespace (nil = all), sorted by namespace then name.
    public func list(_ key: ResourceKey, namespace: String? = nil) -> [JSONValue] {
        lock.lock(); defer { lock.unlock() }
        return objects
            .filter { $0.key.key == key && (namespace == nil || $0.key.namespace == namespace) }
            .sorted { ($0.key.namespace, $0.key.name) < ($1.key.namespace, $1.key.name) }
            .map { $0.value }
    }

    /// Every stored object (for snapshots in tests and undo-fidelity checks).
    public func all() -> [ObjectRef: JSONValue] {
        lock.lock(); defer { lock.unlock() }
        return objects
    }

    /// Creates or replaces an object, stamping metadata. Returns the stored object.
    @discardableResult
    public func put(_ ref: ObjectRef, _ object: JSONValue) -> JSONValue {
        lock.lock()
        revision += 1
        var o = object
        var meta = o["metadata"]?.objectValue ?? [:]
        let existing = objects[ref]
        meta["name"] = .string(ref.name)
        if !ref.namespace.isEmpty { meta["namespace"] = .string(ref.namespace) }
        meta["resourceVersion"] = .string(String(revision))
        if let e = existing {
            meta["uid"] = e["metadata"]?["uid"] ?? .string(newUID())
            meta["creationTimestamp"] = e["metadata"]?["creationTimestamp"] ?? .string(timestamp())
            let gen = e["metadata"]?["generation"]?.intValue ?? 1
            meta["generation"] = .int(e["spec"] != o["spec"] ? gen + 1 : gen)
        } else {
            if meta["uid"] == nil || meta["uid"] == .null { meta["uid"] = .string(newUID()) }
            if meta["creationTimestamp"] == nil || meta["creationTimestamp"] == .null { meta["creationTimestamp"] = .string(timestamp()) }
            meta["generation"] = .int(1)
        }
        o["metadata"] = .object(meta)
        objects[ref] = o
        let ev = StoreEvent(kind: existing == nil ? .added : .modified, ref: ref, object: o, resourceVersion: revision)
        let subs = subscribers
        lock.unlock()
        for s in subs { s.fn(ev) }
        return o
    }

    /// Removes an object; returns it, or nil when absent.
    @discardableResult
    public func delete(_ ref: ObjectRef) -> JSONValue? {
        lock.lock()
        guard let old = objects.removeValue(forKey: ref) else { lock.unlock(); return nil }
        revision += 1
        let ev = StoreEvent(kind: .deleted, ref: ref, object: old, resourceVersion: revision)
        let subs = subscribers
        lock.unlock()
        for s in subs { s.fn(ev) }
        return old
    }

    /// Calls `fn` after every change. Returns a token for `unsubscribe`.
    @discardableResult
    public func subscribe(_ fn: @escaping @Sendable (StoreEvent) -> Void) -> Int {
        lock.lock(); defer { lock.unlock() }
        nextSubscriber += 1
        subscribers.append((id: nextSubscriber, fn: fn))
        return nextSubscriber
    }

    public func unsubscribe(_ token: Int) {
        lock.lock(); defer { lock.unlock() }
        subscribers.removeAll { $0.id == token }
    }

    private func newUID() -> String {
        uidCounter += 1
        let hex = String(format: "%012x", uidCounter)
        return "00000000-0000-4000-8000-\(hex)"
    }

    private func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: now())
    }
}
