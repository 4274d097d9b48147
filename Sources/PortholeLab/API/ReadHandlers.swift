import Foundation
import PortholeKube
import PortholeNet

/// GET of one object and of lists (JSON or server-side Table).
extension APIServer {
    func wantsTable(_ req: HTTPRequest) -> Bool {
        (req.headers["Accept"] ?? "").contains("as=Table")
    }

    func get(_ req: HTTPRequest, _ t: ResourceTarget) throws -> JSONValue {
        guard let name = t.name else { throw APIError.pathNotFound() }
        guard let o = store.get(ref(t, name: name, namespace: t.namespace)) else { throw APIError.notFound(t.resource, name) }
        if wantsTable(req) {
            return TableRenderer().table(for: t.resource, version: t.version, objects: [present(o, t)],
                                         includeObject: req.queryValue("includeObject"), resourceVersion: store.resourceVersion)
        }
        return present(o, t)
    }

    func list(_ req: HTTPRequest, _ t: ResourceTarget) throws -> JSONValue {
        let filter = try ListFilter(labelSelector: req.queryValue("labelSelector"), fieldSelector: req.queryValue("fieldSelector"))
        let rv = store.resourceVersion
        let items = store.list(t.resource.key, namespace: t.resource.namespaced ? t.namespace : nil)
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
