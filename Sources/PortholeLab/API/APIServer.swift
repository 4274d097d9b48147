import Foundation
import Logging
import PortholeKube
import PortholeNet

/// The lab's Kubernetes API on 127.0.0.1: discovery, openapi, CRUD with admission, watch, port-forward.
///
/// One store per (group, resource); every served version reads and writes the same objects, with
/// `apiVersion` rewritten on the way out.
final class APIServer: @unchecked Sendable {
    let store: ObjectStore
    let topology: LabTopology
    let catalog: ResourceCatalog
    let requestLog: RequestLog
    let latency: Double
    let logger: Logger
    let history: WatchHistory
    let serviceAdmission: ServiceAdmission
    let streams = StreamRegistry()
    let ownership = FieldOwnership()
    private let lock = NSLock()
    private var plugins: [AdmissionPlugin] = []
    private var network: PodNetwork
    /// Accept kubectl's WebSocket port-forward; false refuses it, so kubectl falls back to SPDY/3.1.
    var websocketPortForward = true
    /// Injected faults (`LabOptions.faults`); nil serves every request normally.
    var faults: FaultInjector?
    private var http: HTTPServer?

    init(store: ObjectStore, topology: LabTopology, requestLog: RequestLog, latency: Double, podNetwork: PodNetwork, logger: Logger) {
        self.store = store
        self.topology = topology
        self.catalog = ResourceCatalog(topology: topology)
        self.requestLog = requestLog
        self.latency = latency
        self.network = podNetwork
        self.logger = logger
        self.history = WatchHistory(store: store)
        self.serviceAdmission = ServiceAdmission(store: store, topology: topology)
    }

    var admissionPlugins: [AdmissionPlugin] {
        get { lock.lock(); defer { lock.unlock() }; return plugins }
        set { lock.lock(); plugins = newValue; lock.unlock() }
    }

    var podNetwork: PodNetwork {
        get { lock.lock(); defer { lock.unlock() }; return network }
        set { lock.lock(); network = newValue; lock.unlock() }
    }

    /// Binds 127.0.0.1 on a free port and starts serving.
    func start() throws -> UInt16 {
        let server = try HTTPServer(host: "127.0.0.1", port: 0) { [weak self] req, conn in
            guard let self else { return .close }
            return self.handle(req, conn)
        }
        http = server
        server.start()
        return server.port
    }

    func stop() {
        http?.stop()
        http = nil
        streams.stop()
        history.stop()
    }

    var address: String { "127.0.0.1:\(http?.port ?? 0)" }

    private func handle(_ req: HTTPRequest, _ conn: TCPConnection) -> HTTPServerAction {
        if latency > 0 { Thread.sleep(forTimeInterval: latency) }
        let query = req.target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        let (action, status) = faults?.intercept(method: req.method, path: req.path, query: query) ?? dispatch(req, conn)
        requestLog.record(.init(method: req.method, path: req.path, query: query, contentType: req.headers["Content-Type"] ?? "", status: status))
        logger.trace("\(req.method) \(req.target) -> \(status)")
        return action
    }

    private func dispatch(_ req: HTTPRequest, _ conn: TCPConnection) -> (HTTPServerAction, Int) {
        do {
            let discovery = Discovery(catalog: catalog, serverAddress: address)
            switch Router.route(req.path, catalog: catalog) {
            case .version: return ok(Discovery.version)
            case .health: return (.respond(HTTPResponse(status: 200, contentType: "text/plain; charset=utf-8", body: "ok")), 200)
            case .coreVersions: return ok(discovery.coreVersions)
            case .groupList: return ok(discovery.groupList)
            case .group(let g):
                guard let v = discovery.group(g) else { throw APIError.pathNotFound() }
                return ok(v)
            case .resourceList(let g, let v):
                guard let l = discovery.resourceList(group: g, version: v) else { throw APIError.pathNotFound() }
                return ok(l)
            case .openAPIIndex: return ok(OpenAPI(catalog: catalog).index)
            case .openAPIDocument(let g, let v):
                guard let d = OpenAPI(catalog: catalog).document(group: g, version: v) else { throw APIError.pathNotFound() }
                return ok(d)
            case .resource(let t):
                return try resource(req, t, conn)
            case .notFound:
                throw APIError.pathNotFound()
            }
        } catch let e as APIError {
            return (.respond(e.response), e.code)
        } catch let e as AdmissionError {
            let a = APIError(e)
            return (.respond(a.response), a.code)
        } catch {
            let a = APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(error)")
            return (.respond(a.response), 500)
        }
    }

    /// A JSON answer; `warnings` become `Warning: 299` headers, which kubectl prints as `Warning: ...`.
    private func ok(_ v: JSONValue, status: Int = 200, warnings: [String] = []) -> (HTTPServerAction, Int) {
        var r = APIResponse.json(v, status: status)
        for w in warnings { r.headers.add("Warning", "299 - \"\(w.replacingOccurrences(of: "\"", with: "\\\""))\"") }
        return (.respond(r), status)
    }

    private func resource(_ req: HTTPRequest, _ t: ResourceTarget, _ conn: TCPConnection) throws -> (HTTPServerAction, Int) {
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
            return ok(try create(t, body: body, dryRun: dryRun, manager: manager(req)), status: 201, warnings: warnings)
        case ("PUT", .some):
            let (body, warnings) = try FieldValidation.apply(try BodyDecoder.decode(req), resource: t.resource, version: t.version,
                                                             mode: req.queryValue("fieldValidation"))
            return ok(try replace(t, body: body, dryRun: dryRun, manager: manager(req)), warnings: warnings)
        case ("PATCH", .some):
            let (obj, created, warnings) = try patch(req, t, dryRun: dryRun)
            return ok(obj, status: created ? 201 : 200, warnings: warnings)
        case ("DELETE", .some):
            return ok(try delete(t, dryRun: dryRun))
        default:
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
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
