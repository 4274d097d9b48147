import Foundation
import Testing
import PortholeKube
import PortholeNet
@testable import PortholeLab

/// The notes replayed against the data plane with real sockets on loopback (stand-in Prometheus),
/// writing to the store as the API server would.
@Suite(.serialized) struct DataPlaneNotesTests {
    enum Outcome: Equatable { case status(Int), refused, timeout, reset, other(String) }

    static func get(_ host: String, _ port: Int, _ path: String) -> (Outcome, HTTPResponse?) {
        do {
            let r = try HTTPClient.send(HTTPRequest(method: "GET", target: path), host: host, port: UInt16(port), connectTimeout: 0.5, timeout: 5)
            return (.status(r.status), r)
        } catch let e as NetError {
            switch e {
            case .refused: return (.refused, nil)
            case .timeout: return (.timeout, nil)
            case .reset, .closed: return (.reset, nil)
            default: return (.other("\(e)"), nil)
            }
        } catch { return (.other("\(error)"), nil) }
    }

    final class Lab {
        let store: ObjectStore
        let sim: Simulator
        let shift: (String) -> String
        init(realPrometheus: Bool = false) throws {
            let (text, shift) = try SimFixtures.isolated("notes")
            let (store, topology) = try SimFixtures.load(text)
            var options = SimulatorOptions()
            options.useRealPrometheus = realPrometheus
            options.installerRevertDelay = nil
            self.store = store
            self.shift = shift
            sim = Simulator(store: store, topology: topology, options: options, logger: SimFixtures.logger)
            try sim.start()
        }
        deinit { sim.stop() }
        var node: String { shift("127.204.7.185") }

        func apply(_ yaml: String) { try! SimFixtures.put(SimFixtures.yaml(yaml), into: store); sim.settle() }
        func edit(_ ref: ObjectRef, _ change: (inout JSONValue) -> Void) {
            var o = store.get(ref)!
            change(&o)
            store.put(ref, o)
            sim.settle()
        }
    }

    static let gatewayRef = ObjectRef(Kinds.services, namespace: "istio-system", name: "istio-ingressgateway")
    static let prometheusRef = ObjectRef(Kinds.services, namespace: "istio-system", name: "prometheus")

    @Test func bookinfoThroughTheNodePortAndTheFirewall() throws {
        let lab = try Lab()
        defer { withExtendedLifetime(lab) {} }
        let (ok, r) = Self.get(lab.node, 31380, "/productpage")
        #expect(ok == .status(200))
        #expect(r?.headers["server"] == "istio-envoy" && r?.headers["x-envoy-upstream-service-time"] != nil)
        let (nr, r404) = Self.get(lab.node, 31380, "/graph")
        #expect(nr == .status(404) && r404?.headers["x-envoy-upstream-service-time"] == nil)
        #expect(Self.get(lab.node, 9090, "/graph").0 == .timeout, "the security group drops 9090")
        #expect(Self.get(lab.node, 30937, "/healthz/ready").0 == .status(200), "the gateway's status port answers without any Gateway")
        #expect(Self.get(lab.node, 31400, "/").0 == .refused, "31400 (tcp) has no Gateway server in the notes")
        #expect(Self.get(lab.node, 80, "/productpage").0 == .refused, "NAT to the node's port 80, where nothing listens")
        #expect(Self.get(lab.shift("127.10.0.5"), 31380, "/productpage").0 == .refused, "the operator is not on the node's segment: nothing bound")
        lab.sim.stop()
        #expect(Self.get(lab.node, 31380, "/productpage").0 == .refused, "stop closes every listener")
    }

    /// Prometheus bound to 127.0.0.1: its NodePort is refused, port-forward (inside the pod) still reaches it;
    /// moved to :9091, the Service's targetPort 9090 is refused and port-forward follows it to 9091.
    @Test func whereThePrometheusContainerListens() throws {
        let lab = try Lab()
        defer { withExtendedLifetime(lab) {} }
        let pod = ObjectRef(Kinds.pods, namespace: "istio-system", name: "prometheus-7d7b9f7844-m6tlb")
        lab.edit(Self.prometheusRef) { svc in
            svc["spec"]?["type"] = "NodePort"
            svc["spec"]?["ports"] = [["name": "http-prometheus", "port": 9090, "targetPort": 9090, "nodePort": 30999, "protocol": "TCP"]]
        }
        #expect(Self.get(lab.node, 30999, "/-/ready").0 == .status(200))
        func listen(_ address: String) {
            lab.edit(pod) { p in
                var containers = p["spec"]?["containers"]?.arrayValue ?? []
                containers[0]["args"] = [.string("--web.listen-address=\(address)")]
                p["spec"]?["containers"] = .array(containers)
            }
        }
        listen("127.0.0.1:9090")
        #expect(Self.get(lab.node, 30999, "/-/ready").0 == .refused)
        #expect((try? lab.sim.connect(namespace: "istio-system", pod: pod.name, port: 9090)) != nil, "port-forward dials inside the pod")
        listen(":9091")
        #expect(Self.get(lab.node, 30999, "/-/ready").0 == .refused)
        #expect((try? lab.sim.connect(namespace: "istio-system", pod: pod.name, port: 9090)) == nil)
        #expect((try? lab.sim.connect(namespace: "istio-system", pod: pod.name, port: 9091)) != nil)
    }

    /// A Gateway server with tls.httpsRedirect answers 301 to https before any route, for the hosts it takes;
    /// bookinfo's `*` server on the same port keeps serving every other host.
    @Test func httpsRedirectAnswersBeforeAnyRoute() throws {
        let lab = try Lab()
        defer { withExtendedLifetime(lab) {} }
        lab.apply("{apiVersion: networking.istio.io/v1alpha3, kind: Gateway, metadata: {name: prometheus-redirect, namespace: istio-system}, spec: {selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [prometheus.example.com], tls: {httpsRedirect: true}}]}}")
        func get(_ host: String) throws -> HTTPResponse {
            try HTTPClient.send(HTTPRequest(method: "GET", target: "/graph", headers: HTTPHeaders([("Host", host)])),
                                host: lab.node, port: 31380, connectTimeout: 0.5, timeout: 5)
        }
        let moved = try get("prometheus.example.com")
        #expect(moved.status == 301 && moved.headers["location"] == "https://prometheus.example.com/graph", "\(moved.status) \(moved.headers)")
        #expect(try get("bookinfo.example.com").status != 301)
    }

    /// exportTo hides a VirtualService (404 NR) or a destination Service (503 NC) from a gateway whose pods run
    /// in another namespace; exported to that namespace, the same route works.
    @Test func exportToHidesRoutesAndServicesFromTheGateway() throws {
        let lab = try Lab()
        defer { withExtendedLifetime(lab) {} }
        lab.apply("{apiVersion: networking.istio.io/v1alpha3, kind: Gateway, metadata: {name: prometheus-gateway, namespace: istio-system}, spec: {selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [prometheus.example.com]}]}}")
        func vs(_ exportTo: String) -> String {
            "{apiVersion: networking.istio.io/v1alpha3, kind: VirtualService, metadata: {name: prometheus, namespace: default}, spec: {hosts: [prometheus.example.com], gateways: [istio-system/prometheus-gateway], exportTo: [\(exportTo)], http: [{route: [{destination: {host: prometheus.istio-system.svc.cluster.local, port: {number: 9090}}}]}]}}"
        }
        func get() -> (Outcome, HTTPResponse?) {
            do {
                let r = try HTTPClient.send(HTTPRequest(method: "GET", target: "/-/ready", headers: HTTPHeaders([("Host", "prometheus.example.com")])),
                                            host: lab.node, port: 31380, connectTimeout: 0.5, timeout: 5)
                return (.status(r.status), r)
            } catch { return (.other("\(error)"), nil) }
        }
        lab.apply(vs("'.'"))
        #expect(get().0 == .status(404), "exported to default only: the gateway in istio-system never applies it")
        lab.apply(vs("'.', istio-system"))
        #expect(get().0 == .status(200))
        lab.edit(Self.prometheusRef) { $0["metadata"]?["annotations"] = ["networking.istio.io/exportTo": "."] }
        let (hidden, r) = get()
        // Prometheus lives in istio-system like the gateway: '.' still shows it there.
        #expect(hidden == .status(200), "\(String(describing: r?.status))")
        lab.edit(Self.prometheusRef) { $0["metadata"]?["annotations"] = ["networking.istio.io/exportTo": "monitoring"] }
        let (nc, ncr) = get()
        #expect(nc == .status(503) && ncr?.headers["server"] == "istio-envoy", "the gateway has no cluster for a Service it cannot see")
    }

    @Test func attemptsOneAndTwo() throws {
        let lab = try Lab()
        defer { withExtendedLifetime(lab) {} }
        #expect(Self.get(lab.node, 31399, "/graph").0 == .refused)
        lab.edit(Self.gatewayRef) { svc in
            let ports = svc["spec"]?["ports"]?.arrayValue ?? []
            svc["spec"]?["ports"] = .array(ports + [["name": "prometheus", "nodePort": 31399, "port": 9090, "protocol": "TCP", "targetPort": 9090]])
        }
        #expect(Self.get(lab.node, 31399, "/graph").0 == .refused, "a Service port alone: no Envoy listener")
        let gateway = """
        {apiVersion: networking.istio.io/v1alpha3, kind: Gateway, metadata: {name: prometheus-gateway, namespace: default},
         spec: {selector: {istio: ingressgateway}, servers: [{port: {number: PORT, name: http, protocol: HTTP}, hosts: ["*"]}]}}
        """
        func vs(_ match: String, _ host: String) -> String {
            "{apiVersion: networking.istio.io/v1alpha3, kind: VirtualService, metadata: {name: prometheus, namespace: default}, spec: {hosts: ['*'], gateways: [prometheus-gateway], http: [{match: [{uri: \(match)}], route: [{destination: {host: \(host), port: {number: 9090}}}]}]}}"
        }
        lab.apply(gateway.replacingOccurrences(of: "PORT", with: "90"))
        lab.apply(vs("{regex: '*'}", "prometheus"))
        #expect(Self.get(lab.node, 31399, "/productpage").0 == .refused, "the notes' Gateway listens on 90, not 9090")
        lab.apply(gateway.replacingOccurrences(of: "PORT", with: "9090"))
        #expect(Self.get(lab.node, 31399, "/graph").0 == .status(404), "regex '*' never matches")
        lab.apply(vs("{prefix: /}", "prometheus"))
        let (nc, ncr) = Self.get(lab.node, 31399, "/graph")
        #expect(nc == .status(503) && ncr?.headers["server"] == "istio-envoy", "prometheus.default does not exist")
        lab.apply(vs("{prefix: /}", "prometheus.istio-system.svc.cluster.local"))
        let (ok, r) = Self.get(lab.node, 31399, "/-/ready")
        #expect(ok == .status(200))
        #expect(r?.headers["x-envoy-upstream-service-time"] != nil && r?.headers["server"] == "istio-envoy")
        #expect(Self.get(lab.node, 31399, "/productpage").0 == .status(404), "Prometheus's own 404, through Envoy")
    }

    @Test func attemptThreeLoadBalancer() throws {
        let lab = try Lab()
        defer { withExtendedLifetime(lab) {} }
        lab.edit(Self.prometheusRef) { $0["spec"]?["type"] = "LoadBalancer" }
        let pending = lab.store.get(Self.prometheusRef)!
        #expect(pending["status"]?["loadBalancer"] == .object([:]), "the pool holds only the gateway's address")
        let nodePort = pending["spec"]?["ports"]?[0]?["nodePort"]?.intValue ?? 0
        #expect(nodePort >= 30000)
        let lbIP = lab.shift("127.195.219.185")
        lab.edit(Self.prometheusRef) { $0["status"] = ["loadBalancer": ["ingress": [["ip": .string(lbIP)]]]] }
        #expect(lab.store.get(Self.prometheusRef)?["status"]?["loadBalancer"] == .object([:]), "MetalLB owns the status")
        let cm = ObjectRef(Kinds.configMaps, namespace: "metallb-system", name: "config")
        lab.edit(cm) { c in
            let node = lab.node
            c["data"]?["config"] = .string("address-pools:\n- name: default\n  protocol: layer2\n  addresses:\n  - \(node)-\(node)\n  - \(lbIP)-\(lbIP)\n")
        }
        #expect(lab.store.get(Self.prometheusRef)?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"]?.stringValue == lbIP)
        #expect(Self.get(lbIP, nodePort, "/graph").0 == .timeout, "LB IP + nodePort: nobody answers ARP off the segment")
        #expect(Self.get(lbIP, 9090, "/graph").0 == .timeout, "even the service port: not on any node's segment")
        let (ok, r) = Self.get(lab.node, nodePort, "/graph")
        #expect(ok == .status(200) && r?.headers["Server"] == PrometheusStandIn.serverName, "node public address + nodePort works")
        let view = lab.sim.operatorView()
        #expect(view.contains { $0.address == lbIP && $0.port == 9090 && $0.outcome == .timesOut && $0.detail.contains("segment") })
    }

    @Test func portForwardReachesOnlyPrometheus() throws {
        let lab = try Lab()
        defer { withExtendedLifetime(lab) {} }
        let c = try lab.sim.connect(namespace: "istio-system", pod: "prometheus-7d7b9f7844-m6tlb", port: 9090)
        defer { c.close() }
        try c.write(HTTPRequest(method: "GET", target: "/-/ready", headers: HTTPHeaders([("Host", "localhost"), ("Connection", "close")])).serialized())
        #expect(try HTTPWire.readResponse(c, timeout: 5).status == 200)
        #expect(throws: NetError.refused) { try lab.sim.connect(namespace: "default", pod: "productpage-v1-79d85ff9bd-l6vbr", port: 9080) }
        #expect(throws: NetError.refused) { try lab.sim.connect(namespace: "istio-system", pod: "prometheus-7d7b9f7844-m6tlb", port: 9091) }
    }
}
