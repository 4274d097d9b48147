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
    /// API writes run one at a time, as etcd transactions would: read, admit, allocate, store.
    let writeLock = NSLock()
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
                return try resource(req, t)
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
    func ok(_ v: JSONValue, status: Int = 200, warnings: [String] = []) -> (HTTPServerAction, Int) {
        var r = APIResponse.json(v, status: status)
        for w in warnings { r.headers.add("Warning", "299 - \"\(w.replacingOccurrences(of: "\"", with: "\\\""))\"") }
        return (.respond(r), status)
    }
}
