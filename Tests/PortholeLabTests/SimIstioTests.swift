import Foundation
import Testing
import PortholeKube
import PortholeNet
@testable import PortholeLab

/// The gateway Envoy's listeners and routing, on the notes' cluster, table-driven.
@Suite struct SimIstioTests {
    static func notes() throws -> (ObjectStore, LabTopology) { try SimFixtures.load(try SimFixtures.text("notes")) }
    static let istioSystem = "istio-system"

    static func gatewayPods(_ store: ObjectStore) -> [JSONValue] {
        store.list(ResourceKey(group: "", resource: "pods"), namespace: istioSystem).filter(IstioGatewayModel.isGatewayPod)
    }

    static func put(_ yaml: String, _ store: ObjectStore) { try! SimFixtures.put(SimFixtures.yaml(yaml), into: store) }

    static let promGateway9090 = """
    apiVersion: networking.istio.io/v1alpha3
    kind: Gateway
    metadata: {name: prometheus-gateway, namespace: default}
    spec: {selector: {istio: ingressgateway}, servers: [{port: {number: 9090, name: http, protocol: HTTP}, hosts: ["*"]}]}
    """
    static func promVS(regex: String? = nil, prefix: String? = nil, host: String = "prometheus", port: Int = 9090, gateways: String = "[prometheus-gateway]") -> String {
        let match = regex.map { "{uri: {regex: \"\($0)\"}}" } ?? prefix.map { "{uri: {prefix: \"\($0)\"}}" } ?? "{}"
        return """
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata: {name: prometheus, namespace: default}
        spec: {hosts: ["*"], gateways: \(gateways), http: [{match: [\(match)], route: [{destination: {host: \(host), port: {number: \(port)}}}]}]}
        """
    }

    @Test func notesListenersAreBookinfoOnly() throws {
        let (store, topology) = try Self.notes()
        let model = IstioGatewayModel(store: store, topology: topology)
        #expect(model.listenerPorts(for: Self.gatewayPods(store)) == [80])
        Self.put(Self.promGateway9090.replacingOccurrences(of: "9090", with: "90"), store)
        #expect(model.listenerPorts(for: Self.gatewayPods(store)) == [80, 90], "port 90 listens, but no Service port reaches it")
    }

    struct RouteCase: CustomTestStringConvertible, Sendable {
        var name: String
        var objects: [String]
        var path: String
        var listener: Int
        /// Expected Envoy flag, or "upstream:<ns>/<svc>".
        var expected: String
        var testDescription: String { name }
    }

    static let routeCases: [RouteCase] = [
        RouteCase(name: "bookinfo productpage routes", objects: [], path: "/productpage", listener: 80, expected: "upstream:default/productpage"),
        RouteCase(name: "unknown path: 404 NR", objects: [], path: "/graph", listener: 80, expected: "NR"),
        RouteCase(name: "notes' regex * never matches", objects: [promGateway9090, promVS(regex: "*")], path: "/graph", listener: 9090, expected: "NR"),
        RouteCase(name: "short host from default: 503 NC", objects: [promGateway9090, promVS(prefix: "/")], path: "/graph", listener: 9090, expected: "NC"),
        RouteCase(name: "FQDN host routes to Prometheus", objects: [promGateway9090, promVS(prefix: "/", host: "prometheus.istio-system.svc.cluster.local")],
                  path: "/graph", listener: 9090, expected: "upstream:istio-system/prometheus"),
        RouteCase(name: "regex .* is fine", objects: [promGateway9090, promVS(regex: ".*", host: "prometheus.istio-system")], path: "/graph", listener: 9090, expected: "upstream:istio-system/prometheus"),
        RouteCase(name: "wrong destination port: NC", objects: [promGateway9090, promVS(prefix: "/", host: "prometheus.istio-system", port: 9091)], path: "/graph", listener: 9090, expected: "NC"),
        RouteCase(name: "gateway named in another namespace without ns/: not bound", objects: [promGateway9090.replacingOccurrences(of: "namespace: default", with: "namespace: istio-system"),
                  promVS(prefix: "/", host: "prometheus.istio-system")], path: "/graph", listener: 9090, expected: "NR"),
        RouteCase(name: "ns/name gateway reference binds", objects: [promGateway9090.replacingOccurrences(of: "namespace: default", with: "namespace: istio-system"),
                  promVS(prefix: "/", host: "prometheus.istio-system", gateways: "[istio-system/prometheus-gateway]")], path: "/graph", listener: 9090, expected: "upstream:istio-system/prometheus"),
        RouteCase(name: "ISTIO_MUTUAL towards the sidecar-less addon: 503 UF",
                  objects: [promGateway9090, promVS(prefix: "/", host: "prometheus.istio-system"),
                            "{apiVersion: networking.istio.io/v1alpha3, kind: DestinationRule, metadata: {name: default, namespace: istio-system}, spec: {host: '*.local', trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}}"],
                  path: "/graph", listener: 9090, expected: "UF"),
        RouteCase(name: "a DISABLE rule for prometheus fixes UF",
                  objects: [promGateway9090, promVS(prefix: "/", host: "prometheus.istio-system"),
                            "{apiVersion: networking.istio.io/v1alpha3, kind: DestinationRule, metadata: {name: default, namespace: istio-system}, spec: {host: '*.local', trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}}",
                            "{apiVersion: networking.istio.io/v1alpha3, kind: DestinationRule, metadata: {name: prometheus, namespace: istio-system}, spec: {host: prometheus, trafficPolicy: {tls: {mode: DISABLE}}}}"],
                  path: "/graph", listener: 9090, expected: "upstream:istio-system/prometheus"),
        RouteCase(name: "no endpoints: 503 UH",
                  objects: [promGateway9090, promVS(prefix: "/", host: "prometheus.istio-system"),
                            "{apiVersion: v1, kind: Service, metadata: {name: prometheus, namespace: istio-system}, spec: {selector: {app: nothing}, ports: [{port: 9090}]}}"],
                  path: "/graph", listener: 9090, expected: "UH"),
    ]

    @Test(arguments: routeCases)
    func routes(_ c: RouteCase) throws {
        let (store, topology) = try Self.notes()
        for o in c.objects { Self.put(o, store) }
        let decision = EnvoyRouter(store: store, topology: topology)
            .route(HTTPRequest(method: "GET", target: c.path, headers: HTTPHeaders([("Host", "127.204.7.185:31399")])), pods: Self.gatewayPods(store), listenerPort: c.listener)
        switch decision {
        case .local(let r, let flag):
            #expect(flag == c.expected)
            #expect(r.headers["server"] == "istio-envoy" && r.headers["x-envoy-upstream-service-time"] == nil)
        case .upstream(let svc, _):
            #expect("upstream:\(svc.namespace)/\(svc.name)" == c.expected)
        }
    }

    @Test func unprivilegedGatewaySkipsLowPorts() throws {
        let (store, notes) = try Self.notes()
        var topology = notes
        topology.components.istio?.unprivilegedGateway = true
        Self.put(Self.promGateway9090, store)
        #expect(IstioGatewayModel(store: store, topology: topology).listenerPorts(for: Self.gatewayPods(store)) == [9090])
    }

    struct RegexCase: Sendable { var pattern: String; var valid: Bool }
    @Test(arguments: [RegexCase(pattern: "*", valid: false), RegexCase(pattern: ".*", valid: true), RegexCase(pattern: "/graph(/.*)?", valid: true),
                      RegexCase(pattern: "(?=x)", valid: false), RegexCase(pattern: "(a", valid: false), RegexCase(pattern: "\\1", valid: false)])
    func re2(_ c: RegexCase) { #expect((RE2Check.error(c.pattern) == nil) == c.valid, "\(c.pattern)") }

    @Test func validationWebhookRejectsInvalidRegexAndAcceptsValid() throws {
        let hook = IstioValidationWebhook()
        let store = ObjectStore()
        let ref = ObjectRef(Kinds.virtualServices, namespace: "default", name: "prometheus")
        #expect(throws: AdmissionError.self) { try hook.admit(.create, ref: ref, object: SimFixtures.yaml(Self.promVS(regex: "*")), old: nil, store: store) }
        do {
            _ = try hook.admit(.create, ref: ref, object: SimFixtures.yaml(Self.promVS(regex: "*")), old: nil, store: store)
        } catch let e as AdmissionError {
            #expect(e.message.hasPrefix("admission webhook \"validation.istio.io\" denied the request: configuration is invalid: "))
            #expect(e.message.contains("missing argument to repetition operator"))
        }
        let ok = SimFixtures.yaml(Self.promVS(prefix: "/"))
        #expect(try hook.admit(.create, ref: ref, object: ok, old: nil, store: store) == ok)
    }

    @Test func webhookOnlyWhereIstioValidates() throws {
        let (store, notes) = try Self.notes()
        let sim = Simulator(store: store, topology: notes, options: SimulatorOptions(), logger: SimFixtures.logger)
        #expect(!sim.admissionPlugins.contains { $0 is IstioValidationWebhook }, "Istio 1.1 in the notes: accepted, route just broken")
        var recent = notes
        recent.components.istio?.validation = true
        #expect(Simulator(store: store, topology: recent, options: SimulatorOptions(), logger: SimFixtures.logger).admissionPlugins.contains { $0 is IstioValidationWebhook })
    }

    @Test func sidecarInjectionAppliesToPodsCreatedLater() throws {
        let (store, _) = try Self.notes()
        let injector = SidecarInjector(istioVersion: "1.1.2")
        let pod = SimFixtures.yaml("{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: default, labels: {app: p}}, spec: {containers: [{name: app}]}}")
        let ref = ObjectRef(Kinds.pods, namespace: "default", name: "p")
        let injected = try injector.admit(.create, ref: ref, object: pod, old: nil, store: store)
        #expect(MeshPolicy.hasSidecar(injected) && injected.labels["security.istio.io/tlsMode"] == "istio")
        #expect(try injector.admit(.update, ref: ref, object: pod, old: pod, store: store) == pod, "running pods are never changed")
        Self.put("{apiVersion: v1, kind: Namespace, metadata: {name: default, labels: {istio-injection: disabled}}}", store)
        #expect(try injector.admit(.create, ref: ref, object: pod, old: nil, store: store) == pod)
    }
}
