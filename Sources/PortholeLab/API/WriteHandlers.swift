import Foundation
import PortholeKube
import PortholeNet

/// Create, replace, delete, and the shared update path (status subresource rules, admission, dry run).
extension APIServer {
    static let namespacesKey = ResourceKey(group: "", resource: "namespaces")

    func create(_ t: ResourceTarget, body: JSONValue, dryRun: Bool, manager: String) throws -> JSONValue {
        guard t.subresource == nil, t.name == nil else { throw APIError.methodNotAllowed("create is not allowed on a subresource") }
        guard case .object = body else { throw APIError.badRequest("the object to create must be a JSON object") }
        var obj = body
        if let kind = obj["kind"]?.stringValue, kind != t.resource.kind {
            throw APIError.badRequest("the API version in the data (\(obj["apiVersion"]?.plainText ?? "")) does not match the expected API version (\(t.apiVersion))")
        }
        var meta = obj["metadata"]?.objectValue ?? [:]
        var name = meta["name"]?.stringValue ?? ""
        if name.isEmpty, let prefix = meta["generateName"]?.stringValue, !prefix.isEmpty {
            name = prefix + String((0..<5).map { _ in "bcdfghjklmnpqrstvwxz2456789".randomElement()! })
        }
        if name.isEmpty {
            throw APIError.invalid(kind: t.resource.kind, group: t.resource.group, name: "",
                                   causes: [("metadata.name", "Required value: name or generateName is required")])
        }
        var namespace: String? = nil
        if t.resource.namespaced {
            let given = meta["namespace"]?.stringValue
            if let g = given, let n = t.namespace, !g.isEmpty, g != n {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            let ns = t.namespace ?? given ?? "default"
            guard store.get(ObjectRef(Self.namespacesKey, namespace: "", name: ns)) != nil else { throw APIError.namespaceNotFound(ns) }
            namespace = ns
            meta["namespace"] = .string(ns)
        }
        for k in ["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink"] { meta[k] = nil }
        meta["name"] = .string(name)
        obj["metadata"] = .object(meta)
        obj = present(obj, t)
        if t.resource.hasStatus { obj["status"] = nil }
        // A new Service's status, as a real server writes it: an empty load balancer.
        if t.resource.key == ResourceKey(group: "", resource: "services") { obj["status"] = ["loadBalancer": [:]] }
        if t.resource.key == Self.namespacesKey { obj = Self.namespaceDefaults(obj, name: name) }
        let r = ref(t, name: name, namespace: namespace)
        if store.get(r) != nil { throw APIError.alreadyExists(t.resource, name) }
        obj = try admit(.create, r, obj, old: nil, t)
        if dryRun { return present(stamped(obj), t) }
        let stored = store.put(r, obj)
        ownership.created(r, manager: manager, object: stored)
        return present(stored, t)
    }

    func replace(_ t: ResourceTarget, body: JSONValue, dryRun: Bool, manager: String) throws -> JSONValue {
        guard let name = t.name else { throw APIError.pathNotFound() }
        if let given = body["metadata"]?["name"]?.stringValue, given != name {
            throw APIError.badRequest("the name of the object (\(given)) does not match the name on the URL (\(name))")
        }
        let r = ref(t, name: name, namespace: t.namespace)
        guard let old = store.get(r) else { throw APIError.notFound(t.resource, name) }
        if let rv = body["metadata"]?["resourceVersion"]?.stringValue, !rv.isEmpty, rv != old["metadata"]?["resourceVersion"]?.stringValue {
            throw APIError.conflict(t.resource, name)
        }
        return try commitUpdate(t, r, old: old, new: body, dryRun: dryRun, manager: manager)
    }

    func delete(_ t: ResourceTarget, dryRun: Bool) throws -> JSONValue {
        guard let name = t.name, t.subresource == nil else { throw APIError.methodNotAllowed("delete is not allowed on a subresource") }
        let r = ref(t, name: name, namespace: t.namespace)
        guard let old = store.get(r) else { throw APIError.notFound(t.resource, name) }
        for p in admissionPlugins { _ = try p.admit(.delete, ref: r, object: old, old: old, store: store) }
        if dryRun { return present(old, t) }
        if t.resource.key == Self.namespacesKey {
            // Namespace deletion takes its contents with it (at once: the lab has no finalizers to wait for).
            for (ref, _) in store.all() where ref.namespace == name { store.delete(ref) }
        }
        store.delete(r)
        ownership.deleted(r)
        return present(old, t)
    }

    /// The common end of PUT and PATCH: the status subresource rule, admission, no-op detection, store,
    /// field ownership (`applied` is the configuration of a server-side apply).
    func commitUpdate(_ t: ResourceTarget, _ r: ObjectRef, old: JSONValue, new: JSONValue, dryRun: Bool, manager: String,
                      applied: JSONValue? = nil) throws -> JSONValue {
        guard case .object = new else { throw APIError.badRequest("the object must be a JSON object") }
        var next: JSONValue
        if t.subresource == "status" {
            next = old
            next["status"] = new["status"]
        } else {
            next = new
            // Status is a subresource: what a client writes there through the main resource is dropped.
            if t.resource.hasStatus { next["status"] = old["status"] }
        }
        var meta = next["metadata"]?.objectValue ?? [:]
        meta["name"] = .string(r.name)
        if !r.namespace.isEmpty { meta["namespace"] = .string(r.namespace) }
        for k in ["uid", "creationTimestamp", "resourceVersion", "generation"] { meta[k] = old["metadata"]?[k] }
        meta["managedFields"] = nil
        next["metadata"] = .object(meta)
        next = present(next, t)
        next = try admit(.update, r, next, old: old, t)
        if dryRun { return present(Self.sameContent(next, old) ? old : next, t) }
        if let a = applied { ownership.applied(r, manager: manager, applied: a, old: old, new: next) }
        if Self.sameContent(next, old) { return present(old, t) }
        if applied == nil && t.subresource == nil { ownership.updated(r, manager: manager, old: old, new: next) }
        return present(store.put(r, next), t)
    }

    /// Built-in admission (Service allocation) first, then the simulation's plugins in order.
    func admit(_ op: AdmissionOperation, _ r: ObjectRef, _ obj: JSONValue, old: JSONValue?, _ t: ResourceTarget) throws -> JSONValue {
        var o = obj
        if t.resource.key == ResourceKey(group: "", resource: "services") {
            o = try serviceAdmission.admit(ref: r, object: o, old: old)
        }
        if t.resource.key == ResourceKey(group: "", resource: "secrets") { o = Self.secretDefaults(Self.foldStringData(o)) }
        for p in admissionPlugins { o = try p.admit(op, ref: r, object: o, old: old, store: store) }
        return o
    }

    /// A Secret written without a type is `Opaque`, as the API server's defaulting makes it.
    static func secretDefaults(_ secret: JSONValue) -> JSONValue {
        guard secret["type"] == nil else { return secret }
        var out = secret
        out["type"] = "Opaque"
        return out
    }

    /// A Secret's `stringData` is write-only: the API server merges it into `data` (base64) and drops it.
    static func foldStringData(_ secret: JSONValue) -> JSONValue {
        guard let plain = secret["stringData"]?.objectValue else { return secret }
        var out = secret
        var data = secret["data"]?.objectValue ?? [:]
        for (k, v) in plain { data[k] = .string(Data(v.plainText.utf8).base64EncodedString()) }
        out["data"] = .object(data)
        out["stringData"] = nil
        return out
    }

    /// Equal apart from the stamps and the apiVersion a client used.
    static func sameContent(_ a: JSONValue, _ b: JSONValue) -> Bool {
        func strip(_ v: JSONValue) -> JSONValue {
            var o = v
            o["apiVersion"] = nil
            var m = o["metadata"]
            m?["resourceVersion"] = nil
            m?["managedFields"] = nil
            o["metadata"] = m
            return o
        }
        return strip(a) == strip(b)
    }

    /// What a dry-run create answers with: the stamps a real create would add.
    func stamped(_ o: JSONValue) -> JSONValue {
        var out = o
        var meta = out["metadata"]?.objectValue ?? [:]
        meta["uid"] = .string(UUID().uuidString.lowercased())
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        meta["creationTimestamp"] = .string(f.string(from: Date()))
        meta["generation"] = 1
        out["metadata"] = .object(meta)
        return out
    }

    static func namespaceDefaults(_ o: JSONValue, name: String) -> JSONValue {
        var out = o
        var labels = out["metadata"]?["labels"]?.objectValue ?? [:]
        labels["kubernetes.io/metadata.name"] = .string(name)
        out["metadata"]?["labels"] = .object(labels)
        out["spec"] = ["finalizers": ["kubernetes"]]
        out["status"] = ["phase": "Active"]
        return out
    }
}
