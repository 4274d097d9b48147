import Foundation
import Testing
import PortholeKube
import PortholeNet
@testable import PortholeLab

/// Pods, endpoints, ingress-nginx decisions and Gateway API Services, table-driven against a store.
@Suite struct SimControllerTests {
    static func ingressNginx() throws -> (ObjectStore, LabTopology) { try SimFixtures.load(try SimFixtures.text("ingress-nginx")) }
    static func put(_ yaml: String, _ store: ObjectStore) { try! SimFixtures.put(SimFixtures.yaml(yaml), into: store) }

    @Test func podsRunAndServicesGetEndpoints() throws {
        let (store, topology) = try SimFixtures.load(try SimFixtures.text("notes"))
        _ = PodController(store: store, topology: topology).reconcile()
        for pod in store.list(Kinds.pods) {
            #expect(pod["status"]?["phase"] == "Running")
            #expect(pod["status"]?["podIP"]?.stringValue?.hasPrefix("10.244.0.") == true)
        }
        let ips = store.list(Kinds.pods).compactMap { $0["status"]?["podIP"]?.stringValue }
        #expect(Set(ips).count == ips.count, "pod IPs are unique")
        let ep = store.get(ObjectRef(Kinds.endpoints, namespace: "istio-system", name: "prometheus"))
        #expect(ep?["subsets"]?[0]?["addresses"]?.arrayValue?.count == 1)
        #expect(ep?["subsets"]?[0]?["ports"]?[0]?["port"] == 9090)
        #expect(PodController(store: store, topology: topology).reconcile() == false, "converged: a second pass writes nothing")
        Self.put("{apiVersion: v1, kind: Service, metadata: {name: empty, namespace: default}, spec: {selector: {app: none}, ports: [{port: 80}]}}", store)
        _ = PodController(store: store, topology: topology).reconcile()
        #expect(store.get(ObjectRef(Kinds.endpoints, namespace: "default", name: "empty"))?["subsets"] == .array([]))
        store.delete(ObjectRef(Kinds.services, namespace: "default", name: "empty"))
        _ = PodController(store: store, topology: topology).reconcile()
        #expect(store.get(ObjectRef(Kinds.endpoints, namespace: "default", name: "empty")) == nil)
    }

    /// A named targetPort resolves through the selected pods' container port names, as the endpoints controller
    /// does; a name no container declares leaves the Service without endpoints (never the port's own number).
    @Test func namedTargetPortsResolveOrLeaveNoEndpoint() throws {
        let (store, topology) = try SimFixtures.load(try SimFixtures.text("notes"))
        Self.put("""
            {apiVersion: v1, kind: Service, metadata: {name: by-name, namespace: istio-system},
             spec: {selector: {app: prometheus}, ports: [{name: web, port: 9090, targetPort: http}]}}
            """, store)
        Self.put("""
            {apiVersion: v1, kind: Service, metadata: {name: missing-name, namespace: istio-system},
             spec: {selector: {app: prometheus}, ports: [{name: web, port: 9090, targetPort: web}]}}
            """, store)
        _ = PodController(store: store, topology: topology).reconcile()
        let byName = store.get(ObjectRef(Kinds.endpoints, namespace: "istio-system", name: "by-name"))
        #expect(byName?["subsets"]?[0]?["ports"]?[0]?["port"] == 9090, "the notes' pod names its 9090 `http`")
        #expect(byName?["subsets"]?[0]?["addresses"]?.arrayValue?.count == 1)
        let missing = store.get(ObjectRef(Kinds.endpoints, namespace: "istio-system", name: "missing-name"))
        #expect(missing?["subsets"] == .array([]))
        let port = try #require(store.get(ObjectRef(Kinds.services, namespace: "istio-system", name: "missing-name"))?["spec"]?["ports"]?[0])
        #expect(PodController.namedPortMissing(port, pods: store.list(Kinds.pods, namespace: "istio-system")))
    }

    struct NginxCase: CustomTestStringConvertible, Sendable {
        var name: String
        var objects: [String]
        var controllerMeshed = false
        var path = "/graph"
        var host = ""
        /// "upstream" or nginx's status.
        var expected: String
        var testDescription: String { name }
    }

    static func ingress(ns: String = "istio-system", klass: String = "ingressClassName: nginx,", annotations: String = "{}", path: String = "/", type: String = "Prefix") -> String {
        "{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: prometheus, namespace: \(ns), annotations: \(annotations)}, spec: {\(klass) rules: [{http: {paths: [{path: \(path), pathType: \(type), backend: {service: {name: prometheus, port: {number: 9090}}}}]}}]}}"
    }
    /// An Ingress for prometheus.example.com with TLS for that host.
    static func tlsIngress(annotations: String = "{}") -> String {
        "{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: prometheus, namespace: istio-system, annotations: \(annotations)}, spec: {ingressClassName: nginx, tls: [{hosts: [prometheus.example.com], secretName: prometheus-tls}], rules: [{host: prometheus.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: prometheus, port: {number: 9090}}}}]}}]}}"
    }
    static let permissive = "{apiVersion: security.istio.io/v1, kind: PeerAuthentication, metadata: {name: prometheus, namespace: istio-system}, spec: {selector: {matchLabels: {app: prometheus}}, mtls: {mode: PERMISSIVE}}}"
    static let nsDisable = "{apiVersion: security.istio.io/v1, kind: PeerAuthentication, metadata: {name: default, namespace: istio-system}, spec: {mtls: {mode: DISABLE}}}"

    static let nginxCases: [NginxCase] = [
        NginxCase(name: "nothing configured: 404", objects: [], expected: "404"),
        NginxCase(name: "class-less Ingress ignored", objects: [ingress(klass: "")], expected: "404"),
        NginxCase(name: "legacy class annotation served", objects: [ingress(klass: "", annotations: "{kubernetes.io/ingress.class: nginx}"), permissive], expected: "upstream"),
        NginxCase(name: "default IngressClass serves class-less", objects: [ingress(klass: ""), permissive,
            "{apiVersion: networking.k8s.io/v1, kind: IngressClass, metadata: {name: nginx, annotations: {ingressclass.kubernetes.io/is-default-class: 'true'}}, spec: {controller: k8s.io/ingress-nginx}}"], expected: "upstream"),
        NginxCase(name: "wrong namespace: 503", objects: [ingress(ns: "default")], expected: "503"),
        NginxCase(name: "STRICT towards meshed Prometheus: 502", objects: [ingress()], expected: "502"),
        NginxCase(name: "workload PERMISSIVE fixes it", objects: [ingress(), permissive], expected: "upstream"),
        NginxCase(name: "Exact path mismatch: 404", objects: [ingress(path: "/graph", type: "Exact"), permissive], path: "/graph/x", expected: "404"),
        NginxCase(name: "Prefix matches whole elements only", objects: [ingress(path: "/gr"), permissive], path: "/graph", expected: "404"),
        NginxCase(name: "meshed controller without service-upstream still reset", objects: [ingress()], controllerMeshed: true, expected: "502"),
        NginxCase(name: "meshed controller with service-upstream but no upstream-vhost: the sidecar has no route",
                  objects: [ingress(annotations: "{nginx.ingress.kubernetes.io/service-upstream: 'true'}")], controllerMeshed: true, expected: "404"),
        NginxCase(name: "TLS for the host: 308 to https first", objects: [tlsIngress(), permissive], host: "prometheus.example.com", expected: "308"),
        NginxCase(name: "TLS with ssl-redirect false: served over HTTP", objects: [tlsIngress(annotations: "{nginx.ingress.kubernetes.io/ssl-redirect: 'false'}"), permissive],
                  host: "prometheus.example.com", expected: "upstream"),
        NginxCase(name: "force-ssl-redirect without TLS: 308", objects: [ingress(annotations: "{nginx.ingress.kubernetes.io/force-ssl-redirect: 'true'}"), permissive], expected: "308"),
        NginxCase(name: "meshed controller with service-upstream and upstream-vhost passes",
                  objects: [ingress(annotations: "{nginx.ingress.kubernetes.io/service-upstream: 'true', nginx.ingress.kubernetes.io/upstream-vhost: prometheus.istio-system.svc.cluster.local}")],
                  controllerMeshed: true, expected: "upstream"),
    ]

    @Test(arguments: nginxCases)
    func nginxRoutes(_ c: NginxCase) throws {
        let (store, topology) = try Self.ingressNginx()
        for o in c.objects { Self.put(o, store) }
        var controller = store.list(Kinds.pods, namespace: "ingress-nginx").filter(IngressNginxRouting.isControllerPod)
        if c.controllerMeshed { controller = controller.map { var p = $0; p["metadata"]?["labels"]?["security.istio.io/tlsMode"] = "istio"; return p } }
        let got: String
        let headers = c.host.isEmpty ? HTTPHeaders() : HTTPHeaders([("Host", c.host)])
        switch IngressNginxRouting(store: store, topology: topology).route(HTTPRequest(method: "GET", target: c.path, headers: headers), controllerPods: controller) {
        case .upstream: got = "upstream"
        case .local(let r, _):
            got = String(r.status); #expect(r.headers["Server"] == "nginx")
            if r.status == 308 { #expect(r.headers["Location"]?.hasPrefix("https://") == true && r.headers["Location"]?.hasSuffix(c.path) == true) }
        }
        #expect(got == c.expected)
    }

    @Test func gatewayAPINodePortAnnotation() throws {
        let (store, topology) = try SimFixtures.load(try SimFixtures.text("gateway-api"))
        Self.put("{apiVersion: gateway.networking.k8s.io/v1, kind: Gateway, metadata: {name: g, namespace: default, annotations: {networking.istio.io/service-type: NodePort}}, spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP}]}}", store)
        Self.put("{apiVersion: gateway.networking.k8s.io/v1, kind: Gateway, metadata: {name: other, namespace: default}, spec: {gatewayClassName: not-istio, listeners: [{name: http, port: 80, protocol: HTTP}]}}", store)
        _ = GatewayAPIController(store: store, topology: topology).reconcile()
        _ = NodePortAllocator(store: store, topology: topology).reconcile()
        let svc = store.get(ObjectRef(Kinds.services, namespace: "default", name: "g-istio"))
        #expect(svc?["spec"]?["type"] == "NodePort")
        #expect((svc?["spec"]?["ports"]?.arrayValue ?? []).allSatisfy { ($0["nodePort"]?.intValue ?? 0) >= 30000 })
        #expect(store.get(ObjectRef(Kinds.services, namespace: "default", name: "other-istio")) == nil, "another class is not Istio's")
        // Istio's own class exists; a Gateway of a class nobody owns keeps the CRD's "Waiting for controller".
        #expect(store.get(ObjectRef(Kinds.gatewayClasses, namespace: "", name: "istio"))?["spec"]?["controllerName"] == "istio.io/gateway-controller")
        let other = store.get(ObjectRef(Kinds.k8sGateways, namespace: "default", name: "other"))
        #expect(other?["status"]?["conditions"]?[0]?["reason"] == "Pending")
        #expect(other?["status"]?["conditions"]?[1]?["message"] == "Waiting for controller")
        let gw = store.get(ObjectRef(Kinds.k8sGateways, namespace: "default", name: "g"))
        #expect(gw?["status"]?["addresses"]?[0]?["type"] == "Hostname")
    }
}
