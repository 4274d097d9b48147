import Foundation
import PortholeKube
import PortholeNet

/// Requests on `/api/v1/...` and `/apis/G/V/...` resource paths: subresources (proxy, scale, portforward,
/// log, status), then get/list/watch/create/replace/patch/delete.
extension APIServer {
    /// One request on a resource path: subresources first, then the verbs.
    func resource(_ req: HTTPRequest, _ t: ResourceTarget) throws -> (HTTPServerAction, Int) {
        if t.subresource == "proxy" {
            let resp = try proxy(req, t)
            return (.respond(resp), resp.status)
        }
        if t.subresource == "scale", t.resource.group == "apps", Self.scalable.contains(t.resource.plural) {
            return ok(try scale(req, t, dryRun: req.queryValue("dryRun") == "All"))
        }
        if t.subresource == "portforward" {
            guard t.resource.plural == "pods", let ns = t.namespace, let name = t.name else { throw APIError.pathNotFound() }
            return try portForward(req, namespace: ns, pod: name)
        }
        if t.subresource == "log", t.resource.plural == "pods", t.resource.group.isEmpty, req.method == "GET", let name = t.name {
            // Lab pods run no processes that write logs: an existing pod's log is empty, as a fresh container's is.
            guard store.get(ref(t, name: name, namespace: t.namespace)) != nil else { throw APIError.notFound(t.resource, name) }
            return (.respond(HTTPResponse(status: 200, contentType: "text/plain", body: "")), 200)
        }
        if t.resource.kind == "SelfSubjectAccessReview" {
            guard req.method == "POST" else { throw APIError.methodNotAllowed("only create is allowed on selfsubjectaccessreviews") }
            return ok(SelfSubjectAccessReview.answer(try BodyDecoder.decode(req)), status: 201)
        }
        if let sub = t.subresource, !(sub == "status" && t.resource.hasStatus) {
            throw APIError.pathNotFound()
        }
        let dryRun = req.queryValue("dryRun") == "All"
        if !t.resource.verbs.contains("create"), req.method != "GET" {
            throw APIError.methodNotAllowed("\(t.resource.plural) are derived by the lab and read-only")
        }
        switch (req.method, t.name) {
        case ("GET", nil):
            if ["true", "1"].contains(req.queryValue("watch") ?? "") { return try watch(req, t) }
            return ok(try list(req, t))
        case ("GET", .some):
            if ["true", "1"].contains(req.queryValue("watch") ?? "") { return try watch(req, t) }
            return ok(try get(req, t))
        case ("POST", nil):
            let (body, warnings) = try FieldValidation.apply(try BodyDecoder.decode(req), resource: t.resource, version: t.version,
                                                             mode: req.queryValue("fieldValidation"))
            return ok(try serialized { try create(t, body: body, dryRun: dryRun, manager: manager(req)) }, status: 201, warnings: warnings)
        case ("PUT", .some):
            let (body, warnings) = try FieldValidation.apply(try BodyDecoder.decode(req), resource: t.resource, version: t.version,
                                                             mode: req.queryValue("fieldValidation"))
            return ok(try serialized { try replace(t, body: body, dryRun: dryRun, manager: manager(req)) }, warnings: warnings)
        case ("PATCH", .some):
            let (obj, created, warnings) = try serialized { try patch(req, t, dryRun: dryRun) }
            return ok(obj, status: created ? 201 : 200, warnings: warnings)
        case ("DELETE", .some):
            return ok(try serialized { try delete(t, dryRun: dryRun) })
        default:
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    /// Runs one API write at a time.
    func serialized<T>(_ body: () throws -> T) rethrows -> T {
        writeLock.lock(); defer { writeLock.unlock() }
        return try body()
    }

    /// The field manager of a write: `fieldManager`, else the user agent's first word, as a real server derives it.
    func manager(_ req: HTTPRequest) -> String {
        if let m = req.queryValue("fieldManager"), !m.isEmpty { return m }
        return String((req.headers["User-Agent"] ?? "unknown").split(separator: "/").first ?? "unknown")
    }

    /// The object as a client of `t`'s version sees it.
    func present(_ o: JSONValue, _ t: ResourceTarget) -> JSONValue {
        var out = o
        out["apiVersion"] = .string(t.apiVersion)
        out["kind"] = .string(t.resource.kind)
        return out
    }

    func ref(_ t: ResourceTarget, name: String, namespace: String?) -> ObjectRef {
        ObjectRef(t.resource.key, namespace: t.resource.namespaced ? (namespace ?? "default") : "", name: name)
    }
}
