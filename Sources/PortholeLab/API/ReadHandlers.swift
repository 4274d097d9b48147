import Foundation
import PortholeKube
import PortholeNet

/// GET of one object and of lists (JSON or server-side Table).
extension APIServer {
    func wantsTable(_ req: HTTPRequest) -> Bool {
        (req.headers["Accept"] ?? "").contains("as=Table")
    }

    /// The objects of a kind in a namespace (nil: all), stored or derived.
    func objects(_ t: ResourceTarget, namespace: String?) -> [JSONValue] {
        if t.resource.kind == "EndpointSlice" { return EndpointSlices.slices(store: store, namespace: namespace) }
        return store.list(t.resource.key, namespace: namespace)
    }

    func get(_ req: HTTPRequest, _ t: ResourceTarget) throws -> JSONValue {
        guard let name = t.name else { throw APIError.pathNotFound() }
        let found = t.resource.kind == "EndpointSlice"
            ? objects(t, namespace: t.namespace).first { $0["metadata"]?["name"]?.stringValue == name }
            : store.get(ref(t, name: name, namespace: t.namespace))
        guard let o = found else { throw APIError.notFound(t.resource, name) }
        if wantsTable(req) {
            return TableRenderer().table(for: t.resource, version: t.version, objects: [present(o, t)],
                                         includeObject: req.queryValue("includeObject"), resourceVersion: store.resourceVersion)
        }
        return present(o, t)
    }

    func list(_ req: HTTPRequest, _ t: ResourceTarget) throws -> JSONValue {
        let filter = try ListFilter(labelSelector: req.queryValue("labelSelector"), fieldSelector: req.queryValue("fieldSelector"))
        let rv = store.resourceVersion
        let items = objects(t, namespace: t.resource.namespaced ? t.namespace : nil)
            .map { present($0, t) }
            .filter { filter.matches($0) }
        if wantsTable(req) {
            return TableRenderer().table(for: t.resource, version: t.version, objects: items,
                                         includeObject: req.queryValue("includeObject"), resourceVersion: rv)
        }
        return ["kind": .string(t.resource.kind + "List"), "apiVersion": .string(t.apiVersion),
                "metadata": ["resourceVersion": .string(String(rv))], "items": .array(items)]
    }
}
