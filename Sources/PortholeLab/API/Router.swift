import Foundation

/// What an API request path names.
enum APIRoute {
    case version
    case health                              // /healthz, /readyz, /livez
    case coreVersions                        // /api
    case groupList                           // /apis
    case group(String)                       // /apis/G
    case resourceList(group: String, version: String)
    case openAPIIndex                        // /openapi/v3
    case openAPIDocument(group: String, version: String)
    case resource(ResourceTarget)
    case notFound
}

/// A resource path resolved against the catalog: /api/v1/namespaces/NS/services/NAME/status.
struct ResourceTarget {
    var resource: APIResource
    var version: String
    /// The namespace of a namespaced request; nil for cluster-scoped or all-namespaces requests.
    var namespace: String?
    var name: String?
    var subresource: String?
    /// For `services/NAME[:PORT]/proxy/PATH` and `pods/...`: the PATH after `proxy/` ("" for none).
    var proxyPath: String? = nil

    var apiVersion: String { resource.apiVersion(version) }
}

enum Router {
    static func route(_ path: String, catalog: ResourceCatalog) -> APIRoute {
        var segs = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        // A proxied path keeps its trailing slash (`.../proxy/graph/`), which matters to the backend.
        if path.hasSuffix("/"), segs.contains("proxy") { segs.append("") }
        switch segs.first {
        case "version": return segs.count == 1 ? .version : .notFound
        case "healthz", "readyz", "livez": return segs.count == 1 ? .health : .notFound
        case "openapi":
            guard segs.count >= 2, segs[1] == "v3" else { return .notFound }
            if segs.count == 2 { return .openAPIIndex }
            if segs.count == 4, segs[2] == "api" { return .openAPIDocument(group: "", version: segs[3]) }
            if segs.count == 5, segs[2] == "apis" { return .openAPIDocument(group: segs[3], version: segs[4]) }
            return .notFound
        case "api":
            if segs.count == 1 { return .coreVersions }
            if segs.count == 2 { return .resourceList(group: "", version: segs[1]) }
            return resource(group: "", version: segs[1], rest: Array(segs.dropFirst(2)), catalog: catalog)
        case "apis":
            if segs.count == 1 { return .groupList }
            if segs.count == 2 { return .group(segs[1]) }
            if segs.count == 3 { return .resourceList(group: segs[1], version: segs[2]) }
            return resource(group: segs[1], version: segs[2], rest: Array(segs.dropFirst(3)), catalog: catalog)
        default:
            return .notFound
        }
    }

    /// `[res]`, `[res, name]`, `[res, name, sub]`, `["namespaces", ns, res, ...]`.
    static func resource(group: String, version: String, rest: [String], catalog: ResourceCatalog) -> APIRoute {
        if rest.count >= 3, rest[0] == "namespaces", let r = catalog.resource(group: group, version: version, plural: rest[2]), r.namespaced {
            if rest.count >= 5, rest[4] == "proxy", group.isEmpty, r.plural == "services" || r.plural == "pods" {
                var t = ResourceTarget(resource: r, version: version, namespace: rest[1], name: rest[3], subresource: "proxy")
                t.proxyPath = rest.dropFirst(5).joined(separator: "/")
                return .resource(t)
            }
            guard rest.count <= 5 else { return .notFound }
            return .resource(ResourceTarget(resource: r, version: version, namespace: rest[1],
                                            name: rest.count > 3 ? rest[3] : nil, subresource: rest.count > 4 ? rest[4] : nil))
        }
        guard let r = catalog.resource(group: group, version: version, plural: rest[0]), rest.count <= 3 else { return .notFound }
        // A namespaced resource without a namespace is a list across all namespaces; nothing else.
        if r.namespaced && rest.count > 1 { return .notFound }
        return .resource(ResourceTarget(resource: r, version: version, namespace: nil,
                                        name: rest.count > 1 ? rest[1] : nil, subresource: rest.count > 2 ? rest[2] : nil))
    }
}
