import Foundation
import Testing
import PortholeKube
import PortholeNet
@testable import PortholeLab

/// Each shipped scenario: a healthy path answers, and the failure it exists for comes out for the
/// DOMAIN reason. Real sockets on loopback, stand-in Prometheus.
@Suite(.serialized) struct DataPlaneScenarioTests {
    typealias Outcome = DataPlaneNotesTests.Outcome

    final class Lab {
        let store: ObjectStore
        let sim: Simulator
        let shift: (String) -> String
        init(_ name: String) throws {
            let (text, shift) = try SimFixtures.isolated(name)
            let (store, topology) = try SimFixtures.load(text)
            var options = SimulatorOptions()
            options.useRealPrometheus = false
            options.installerRevertDelay = nil
            self.store = store
            self.shift = shift
            sim = Simulator(store: store, topology: topology, options: options, logger: SimFixtures.logger)
            try sim.start()
        }
        deinit { sim.stop() }
        func apply(_ yaml: String) { try! SimFixtures.put(SimFixtures.yaml(yaml), into: store); sim.settle() }
        func get(_ address: String, _ port: Int, _ path: String, host: String? = nil) -> (Outcome, HTTPResponse?) {
            guard let host else { return DataPlaneNotesTests.get(shift(address), port, path) }
            do {
                let r = try HTTPClient.send(HTTPRequest(method: "GET", target: path, headers: HTTPHeaders([("Host", host)])),
                                            host: shift(address), port: UInt16(port), connectTimeout: 0.5, timeout: 5)
                return (.status(r.status), r)
            } catch { return (.other("\(error)"), nil) }
        }
    }

    @Test func metallbCRDs() throws {
        let lab = try Lab("metallb-crds")
        defer { withExtendedLifetime(lab) {} }
        let gw = lab.store.get(ObjectRef(Kinds.services, namespace: "istio-system", name: "istio-ingressgateway"))
        #expect(gw?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"]?.stringValue == lab.shift("127.168.10.240"), "the pool, not the leftover ConfigMap")
        #expect(lab.get("127.168.10.240", 80, "/productpage").0 == .status(200), "LB IP + service port, announced on the operator's LAN")
        #expect(lab.get("127.168.10.240", 30080, "/productpage").0 == .refused, "LB IP + nodePort is not the contract")
        #expect(lab.get("127.168.10.11", 30080, "/productpage").0 == .status(200), "node + nodePort, Service 80 -> Envoy 8080")
        lab.store.delete(ObjectRef(Kinds.l2Advertisements, namespace: "metallb-system", name: "lan"))
        lab.sim.settle()
        #expect(lab.get("127.168.10.240", 80, "/productpage").0 == .timeout, "assigned but not announced")
    }

    @Test func istioHelm() throws {
        let lab = try Lab("istio-helm")
        defer { withExtendedLifetime(lab) {} }
        let svcRef = ObjectRef(Kinds.services, namespace: "istio-ingress", name: "istio-ingress")
        #expect(lab.store.get(svcRef)?["status"]?["loadBalancer"] == nil, "no load balancer: pending forever")
        lab.apply("""
        {apiVersion: networking.istio.io/v1, kind: Gateway, metadata: {name: prom, namespace: istio-system},
         spec: {selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}}
        """)
        lab.apply("""
        {apiVersion: networking.istio.io/v1, kind: VirtualService, metadata: {name: prom, namespace: istio-system},
         spec: {hosts: ["*"], gateways: [prom], http: [{route: [{destination: {host: prometheus, port: {number: 9090}}}]}]}}
        """)
        #expect(lab.get("127.168.20.21", 31080, "/-/ready").0 == .refused, "selector istio: ingressgateway matches no Helm gateway pod")
        lab.apply("""
        {apiVersion: networking.istio.io/v1, kind: Gateway, metadata: {name: prom, namespace: istio-system},
         spec: {selector: {istio: ingress}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}}
        """)
        let (ok, r) = lab.get("127.168.20.21", 31080, "/-/ready")
        #expect(ok == .status(200) && r?.headers["server"] == "istio-envoy")
        var svc = lab.store.get(svcRef)!
        let ports = svc["spec"]?["ports"]?.arrayValue ?? []
        svc["spec"]?["ports"] = .array(ports + [["name": "prometheus", "port": 9090, "targetPort": 9090, "nodePort": 31399]])
        lab.store.put(svcRef, svc)
        lab.sim.settle()
        lab.sim.reconcileInstallers()
        #expect(!(lab.store.get(svcRef)?["spec"]?["ports"]?.arrayValue ?? []).contains { $0["port"] == 9090 }, "Helm reverts the hand edit")
    }

    static let prometheusIngress = """
    {apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: prometheus, namespace: NS},
     spec: {CLASS rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: prometheus, port: {number: 9090}}}}]}}]}}
    """

    @Test func ingressNginx() throws {
        let lab = try Lab("ingress-nginx")
        defer { withExtendedLifetime(lab) {} }
        let node = "127.168.30.31"
        #expect(lab.get(node, 30180, "/graph").0 == .status(404), "no Ingress yet: the default backend")
        lab.apply(Self.prometheusIngress.replacingOccurrences(of: "NS", with: "istio-system").replacingOccurrences(of: "CLASS", with: ""))
        #expect(lab.get(node, 30180, "/graph").0 == .status(404), "no ingressClassName: ignored by ingress-nginx >= 1.0")
        lab.apply(Self.prometheusIngress.replacingOccurrences(of: "NS", with: "default").replacingOccurrences(of: "CLASS", with: "ingressClassName: nginx,"))
        #expect(lab.get(node, 30180, "/graph").0 == .status(503), "an Ingress in default cannot reach istio-system/prometheus")
        lab.store.delete(ObjectRef(Kinds.ingresses, namespace: "default", name: "prometheus"))
        lab.apply(Self.prometheusIngress.replacingOccurrences(of: "NS", with: "istio-system").replacingOccurrences(of: "CLASS", with: "ingressClassName: nginx,"))
        let published = lab.store.get(ObjectRef(Kinds.ingresses, namespace: "istio-system", name: "prometheus"))?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"]
        #expect(published?.stringValue == lab.shift(node), "ingress-nginx publishes the controller's node address")
        let (bad, r) = lab.get(node, 30180, "/graph")
        #expect(bad == .status(502) && r?.headers["Server"] == "nginx", "STRICT mTLS resets the unmeshed controller")
        lab.apply("""
        {apiVersion: security.istio.io/v1, kind: PeerAuthentication, metadata: {name: prometheus, namespace: istio-system},
         spec: {selector: {matchLabels: {app: prometheus}}, mtls: {mode: PERMISSIVE}}}
        """)
        #expect(lab.get(node, 30180, "/graph").0 == .status(200))
    }

    @Test func gatewayAPI() throws {
        let lab = try Lab("gateway-api")
        defer { withExtendedLifetime(lab) {} }
        lab.apply("{apiVersion: v1, kind: Namespace, metadata: {name: gateways}}")
        lab.apply("""
        {apiVersion: gateway.networking.k8s.io/v1, kind: Gateway, metadata: {name: edge, namespace: gateways},
         spec: {gatewayClassName: istio, listeners: [{name: http, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: Same}}}]}}
        """)
        let svc = lab.store.get(ObjectRef(Kinds.services, namespace: "gateways", name: "edge-istio"))
        #expect(svc?["spec"]?["type"] == "LoadBalancer")
        let ip = svc?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"]?.stringValue
        #expect(ip == lab.shift("127.168.40.240"))
        let gw = lab.store.get(ObjectRef(Kinds.k8sGateways, namespace: "gateways", name: "edge"))
        #expect(gw?["status"]?["conditions"]?.arrayValue?.contains { $0["type"] == "Programmed" && $0["status"] == "True" } == true)
        let route = """
        {apiVersion: gateway.networking.k8s.io/v1, kind: HTTPRoute, metadata: {name: prom, namespace: RNS},
         spec: {parentRefs: [{name: edge, namespace: gateways}], rules: [{matches: [{path: {type: PathPrefix, value: /}}], backendRefs: [{name: prometheus, namespace: istio-system, port: 9090}]}]}}
        """
        lab.apply(route.replacingOccurrences(of: "RNS", with: "default"))
        let routeRef = ObjectRef(Kinds.httpRoutes, namespace: "default", name: "prom")
        func condition(_ type: String) -> JSONValue? {
            lab.store.get(routeRef)?["status"]?["parents"]?[0]?["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
        }
        #expect(condition("Accepted")?["reason"] == "NotAllowedByListeners")
        #expect(condition("ResolvedRefs")?["reason"] == "RefNotPermitted")
        #expect(lab.get("127.168.40.240", 8080, "/-/ready").0 == .status(404))
        lab.apply("""
        {apiVersion: gateway.networking.k8s.io/v1, kind: Gateway, metadata: {name: edge, namespace: gateways},
         spec: {gatewayClassName: istio, listeners: [{name: http, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]}}
        """)
        #expect(condition("Accepted")?["status"] == "True")
        #expect(lab.get("127.168.40.240", 8080, "/-/ready").0 == .status(500), "accepted but the backend reference is not permitted")
        lab.apply("""
        {apiVersion: gateway.networking.k8s.io/v1beta1, kind: ReferenceGrant, metadata: {name: routes-to-prometheus, namespace: istio-system},
         spec: {from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}], to: [{group: "", kind: Service, name: prometheus}]}}
        """)
        #expect(condition("ResolvedRefs")?["status"] == "True")
        let (ok, r) = lab.get("127.168.40.240", 8080, "/-/ready")
        #expect(ok == .status(200) && r?.headers["server"] == "istio-envoy")
        lab.store.delete(ObjectRef(Kinds.k8sGateways, namespace: "gateways", name: "edge"))
        lab.sim.settle()
        #expect(lab.store.get(ObjectRef(Kinds.services, namespace: "gateways", name: "edge-istio")) == nil, "the generated Service goes with its Gateway")
        #expect(lab.get("127.168.40.240", 8080, "/-/ready").0 != .status(200))
    }

    @Test func cloudFirewall() throws {
        let lab = try Lab("cloud-firewall")
        defer { withExtendedLifetime(lab) {} }
        let svc = ObjectRef(Kinds.services, namespace: "istio-system", name: "istio-ingressgateway")
        #expect(lab.store.get(svc)?["status"]?["loadBalancer"] == nil, "no load-balancer controller: pending")
        lab.apply("""
        {apiVersion: networking.istio.io/v1, kind: Gateway, metadata: {name: prom, namespace: istio-system},
         spec: {selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}}
        """)
        lab.apply("""
        {apiVersion: networking.istio.io/v1, kind: VirtualService, metadata: {name: prom, namespace: istio-system},
         spec: {hosts: ["*"], gateways: [prom], http: [{route: [{destination: {host: prometheus, port: {number: 9090}}}]}]}}
        """)
        #expect(lab.get("127.51.100.20", 31080, "/-/ready").0 == .timeout, "the security group drops the nodePort")
        #expect(lab.get("127.51.100.20", 80, "/-/ready").0 == .refused, "port 80 is open but nothing listens on the node")
        let view = lab.sim.operatorView().first { $0.address == lab.shift("127.51.100.20") && $0.port == 31080 }
        #expect(view?.outcome == .timesOut && view?.standsFor == "198.51.100.20")
    }
}
