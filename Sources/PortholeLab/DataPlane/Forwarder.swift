import Foundation
import Logging
import PortholeKube
import PortholeNet

/// Handles a connection that reached a Service (kube-proxy's job), then does what the pods behind
/// it do: the gateway Envoy routes, ingress-nginx routes, Prometheus answers, an app stand-in answers.
struct Forwarder {
    let store: ObjectStore
    let topology: LabTopology
    let prometheus: PrometheusBackend?
    let logger: Logger

    func handle(_ c: TCPConnection, target: ExposureTarget) {
        guard let svc = store.get(target.service),
              let port = (svc.spec["ports"]?.array ?? []).first(where: { $0["port"]?.intValue == target.servicePort }) else {
            c.reset(); return
        }
        // kube-proxy filters the client's own address (before any masquerade) on the load-balancer address only.
        if target.viaLoadBalancer, !SourceRanges.admits(SourceRanges.loadBalancer(svc), source: Self.address(c.remoteAddress), topology: topology) {
            Relay.drop(c)
            return
        }
        let pods = MeshPolicy(store: store).pods(of: svc)
        if PodController.namedPortMissing(port, pods: pods) { c.reset(); return }
        let targetPort = PodController.targetPort(port, pods: pods)
        let role = ServiceRole.of(svc, store: store, topology: topology)
        // The state may have changed since the listener opened: answer as the pod would now.
        guard role.listens(on: targetPort, store: store, topology: topology) else { c.reset(); return }
        switch role {
        case .prometheus(let promPods):
            if let pod = promPods.first, !NetworkPolicies(store: store).admits(.address(seenSource(c, service: svc)), to: pod, port: targetPort) {
                Relay.drop(c)
                return
            }
            guard let backend = prometheus, let up = try? backend.dial() else { c.reset(); return }
            Relay.pipe(c, up)
        case .app:
            Relay.serveHTTP(c) { AppStandIn.respond($0, service: svc) }
        case .istioGateway(let gwPods):
            let peer = seenSource(c, service: svc)
            let envoyPorts = IstioGatewayModel(store: store, topology: topology).listenerPorts(for: gwPods)
            if IstioGatewayModel.statusPorts.contains(targetPort) && !envoyPorts.contains(targetPort) {
                Relay.serveHTTP(c) { IstioGatewayModel.statusAnswer($0) }
                return
            }
            Relay.serveHTTP(c) { req in
                if let denied = authorize(req, from: peer, port: targetPort, at: gwPods.first) { return denied }
                return envoy(EnvoyRouter(store: store, topology: topology).route(req, pods: gwPods, listenerPort: targetPort), req, from: gwPods.first)
            }
        case .gatewayAPI(let gw):
            let peer = seenSource(c, service: svc)
            let gwPods = MeshPolicy(store: store).pods(of: svc)
            Relay.serveHTTP(c) { req in
                if let denied = authorize(req, from: peer, port: targetPort, at: gwPods.first) { return denied }
                return envoy(GatewayAPIRouting.route(req, gateway: gw, listenerPort: targetPort, store: store, topology: topology), req, from: gwPods.first)
            }
        case .ingressNginx(let ctrlPods):
            let peer = seenSource(c, service: svc)
            Relay.serveHTTP(c) { req in
                switch IngressNginxRouting(store: store, topology: topology).route(req, controllerPods: ctrlPods, source: peer) {
                case .local(let r, _): return r
                case .upstream(let up, let upPort):
                    var r: HTTPResponse
                    do { r = try call(req, service: up, port: upPort, from: ctrlPods.first) } catch NetError.timeout {
                        return IngressNginxRouting.page(504, "Gateway Time-out")
                    } catch { return IngressNginxRouting.page(502, "Bad Gateway") }
                    r.headers.set("Server", "nginx")
                    return r
                }
            }
        case .noEndpoints:
            c.reset()
        }
    }

    /// Envoy's RBAC filter on the gateway pod: nil when the request may pass, else its 403.
    private func authorize(_ req: HTTPRequest, from peer: String, port: Int, at pod: JSONValue?) -> HTTPResponse? {
        guard let pod else { return nil }
        let r = AuthorizationPolicies.Request(sourceIP: peer, port: port, host: req.headers["Host"] ?? "", method: req.method,
                                              path: req.path, headers: req.headers,
                                              realSourceIPs: SourceRanges.realAddresses(of: peer, topology: topology))
        return AuthorizationPolicies(store: store).allows(r, at: pod) ? nil : AuthorizationPolicies.denied
    }

    /// The source address the pod sees. With `externalTrafficPolicy: Local` the client's own; otherwise
    /// (`Cluster`, the default) kube-proxy masquerades external traffic to the node's address, so a policy
    /// on the client's address cannot match (a gateway restricted to the operator then denies the operator).
    func seenSource(_ c: TCPConnection, service svc: JSONValue) -> String {
        let client = Self.address(c.remoteAddress)
        guard svc.spec["externalTrafficPolicy"]?.stringValue != "Local" else { return client }
        let arrived = Self.address(c.localAddress)
        let node = topology.nodes.first { $0.internalIP == arrived || $0.externalIP == arrived } ?? topology.nodes.first
        return node?.internalIP ?? client
    }

    /// "a.b.c.d:port" -> "a.b.c.d".
    static func address(_ hostPort: String) -> String { String(hostPort.split(separator: ":").first ?? "") }

    private func envoy(_ decision: EnvoyRouter.Decision, _ req: HTTPRequest, from pod: JSONValue?) -> HTTPResponse {
        switch decision {
        case .local(let r, _): return r
        case .upstream(let svc, let port):
            let started = Date()
            do {
                let r = try call(req, service: svc, port: port, from: pod)
                return EnvoyRouter.proxied(r, upstreamMillis: Int(Date().timeIntervalSince(started) * 1000))
            } catch NetError.timeout {
                // A dropped SYN: Envoy gives up after its connect timeout (10 s by default; the lab does not wait it out).
                return EnvoyRouter.answer(503, body: "upstream connect error or disconnect/reset before headers. reset reason: connection timeout")
            } catch {
                return EnvoyRouter.answer(503, body: "upstream connect error or disconnect/reset before headers. reset reason: connection failure")
            }
        }
    }

    /// One request to a Service port, as a proxy in front of it sends it.
    /// - Parameter from: the proxy's pod (NetworkPolicy decides whether its connection gets through).
    func call(_ req: HTTPRequest, service svc: JSONValue, port: JSONValue, from: JSONValue?) throws -> HTTPResponse {
        let role = ServiceRole.of(svc, store: store, topology: topology)
        let pods = MeshPolicy(store: store).pods(of: svc)
        if PodController.namedPortMissing(port, pods: pods) { throw NetError.refused }
        let targetPort = PodController.targetPort(port, pods: pods)
        switch role {
        case .prometheus(let promPods):
            if let source = from, let pod = promPods.first, !NetworkPolicies(store: store).admits(.pod(source), to: pod, port: targetPort) {
                throw NetError.timeout(seconds: 2)
            }
            guard role.listens(on: targetPort, store: store, topology: topology), let backend = prometheus else { throw NetError.refused }
            if let pod = promPods.first, let denied = SidecarAuthorization.denial(req, from: from, to: pod, service: svc,
                                                                                  servicePort: port["port"]?.intValue ?? 0,
                                                                                  targetPort: targetPort, store: store) {
                return denied
            }
            return try Relay.exchange(req, host: backend.host, port: backend.port)
        case .noEndpoints:
            throw NetError.refused
        default:
            return AppStandIn.respond(req, service: svc)
        }
    }
}
