import Foundation
import Testing
import PortholeKube
@testable import PortholeLab

/// MetalLB by era, table-driven: objects in, `.status.loadBalancer` and reachability out.
@Suite struct SimMetalLBTests {
    static let services = ResourceKey(group: "", resource: "services")

    static func topology(metallb: String?, environment: String = "bare-metal", segments: [String] = ["127.20.0.0/24"], kubeProxy: String = "{mode: iptables}") -> LabTopology {
        let yaml = """
        name: t
        environment: \(environment)
        kubernetes: {version: v1.32.4}
        nodes:
          - {name: n1, internalIP: 127.20.0.11, segment: 127.20.0.0/24}
          - {name: n2, internalIP: 127.20.0.12, segment: 127.20.0.0/24, labels: {node.kubernetes.io/exclude-from-external-load-balancers: ""}}
        operatorVantage: {segments: \(segments)}
        firewall: {defaultAction: allow, allow: []}
        components: {\(metallb.map { "metallb: {version: \"\($0)\"}, " } ?? "")kubeProxy: \(kubeProxy)}
        prometheusServices: []
        """
        return try! JSONDecoder().decode(LabTopology.self, from: SimFixtures.yaml(yaml).jsonData())
    }

    static func lbService(_ name: String, annotations: String = "{}", extra: String = "", created: String = "2026-01-01T00:00:00Z") -> JSONValue {
        SimFixtures.yaml("""
        apiVersion: v1
        kind: Service
        metadata: {name: \(name), namespace: default, annotations: \(annotations), creationTimestamp: "\(created)"}
        spec: {type: LoadBalancer, selector: {app: \(name)}, ports: [{port: 80, targetPort: 80, nodePort: 3\(name.count)080}]\(extra)}
        """)
    }

    static let legacyConfig = SimFixtures.yaml("""
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: config, namespace: metallb-system}
    data:
      config: |
        address-pools:
        - name: default
          protocol: layer2
          addresses: [127.20.0.240-127.20.0.241]
    """)
    static let pool = SimFixtures.yaml("""
    apiVersion: metallb.io/v1beta1
    kind: IPAddressPool
    metadata: {name: lan, namespace: metallb-system}
    spec: {addresses: [127.20.0.240/31]}
    """)
    static let advert = SimFixtures.yaml("""
    apiVersion: metallb.io/v1beta1
    kind: L2Advertisement
    metadata: {name: lan, namespace: metallb-system}
    spec: {}
    """)

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var metallb: String?
        var objects: [JSONValue]
        /// Service name -> expected IP (nil = pending).
        var expected: [String: String?]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "legacy ConfigMap pool assigns in order", metallb: "0.12.1", objects: [legacyConfig, lbService("a"), lbService("b", created: "2026-01-02T00:00:00Z")],
             expected: ["a": "127.20.0.240", "b": "127.20.0.241"]),
        Case(name: "legacy pool exhausted leaves the third pending", metallb: "0.12.1",
             objects: [legacyConfig, lbService("a"), lbService("b", created: "2026-01-02T00:00:00Z"), lbService("c", created: "2026-01-03T00:00:00Z")],
             expected: ["a": "127.20.0.240", "b": "127.20.0.241", "c": nil]),
        Case(name: "requested IP in the pool", metallb: "0.12.1", objects: [legacyConfig, lbService("a", annotations: "{metallb.universe.tf/loadBalancerIPs: 127.20.0.241}")],
             expected: ["a": "127.20.0.241"]),
        Case(name: "requested IP outside every pool stays pending", metallb: "0.12.1", objects: [legacyConfig, lbService("a", extra: ", loadBalancerIP: 127.9.9.9")],
             expected: ["a": nil]),
        Case(name: "0.13+ ignores a leftover ConfigMap", metallb: "0.14.8", objects: [legacyConfig, lbService("a")], expected: ["a": nil]),
        Case(name: "0.13+ assigns from an IPAddressPool", metallb: "0.14.8", objects: [pool, advert, lbService("a", annotations: "{metallb.io/loadBalancerIPs: 127.20.0.241}")],
             expected: ["a": "127.20.0.241"]),
        Case(name: "no MetalLB: pending forever", metallb: nil, objects: [legacyConfig, pool, lbService("a")], expected: ["a": nil]),
    ]

    @Test(arguments: cases)
    func assigns(_ c: Case) {
        let store = ObjectStore()
        for o in c.objects { try! SimFixtures.put(o, into: store) }
        let controller = MetalLBController(store: store, topology: Self.topology(metallb: c.metallb))
        _ = controller.reconcile()
        for (name, ip) in c.expected {
            let svc = store.get(ObjectRef(Self.services, namespace: "default", name: name))
            #expect(svc?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"]?.stringValue == ip, "\(name)")
        }
        #expect(controller.reconcile() == false, "a second pass changes nothing")
        let events = store.list(ControllerEvents.key, namespace: "default")
        for (name, ip) in c.expected {
            let reasons = events.filter { $0["involvedObject"]?["name"]?.stringValue == name }.compactMap { $0["reason"]?.stringValue }
            let expected = c.metallb == nil ? [] : [ip == nil ? "AllocationFailed" : "IPAllocated"]
            #expect(reasons == expected, "\(name): \(reasons); without MetalLB nobody reports anything")
        }
    }

    @Test func releasesOnTypeChangeAndHandsTheAddressOn() {
        let store = ObjectStore()
        for o in [Self.legacyConfig, Self.lbService("a"), Self.lbService("b", created: "2026-01-02T00:00:00Z"), Self.lbService("c", created: "2026-01-03T00:00:00Z")] {
            try! SimFixtures.put(o, into: store)
        }
        let controller = MetalLBController(store: store, topology: Self.topology(metallb: "0.12.1"))
        _ = controller.reconcile()
        var a = store.get(ObjectRef(Self.services, namespace: "default", name: "a"))!
        a["spec"]?["type"] = "ClusterIP"
        store.put(ObjectRef(Self.services, namespace: "default", name: "a"), a)
        _ = controller.reconcile()
        #expect(store.get(ObjectRef(Self.services, namespace: "default", name: "a"))?["status"]?["loadBalancer"] == .object([:]))
        #expect(store.get(ObjectRef(Self.services, namespace: "default", name: "c"))?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"] == "127.20.0.240")
    }

    struct ReachCase: CustomTestStringConvertible, Sendable {
        var name: String
        var objects: [JSONValue]
        var segments: [String]
        var kubeProxy: String
        var reachable: Bool
        var testDescription: String { name }
    }

    static let reachCases: [ReachCase] = [
        ReachCase(name: "announced on the operator's segment", objects: [pool, advert], segments: ["127.20.0.0/24"], kubeProxy: "{mode: iptables}", reachable: true),
        ReachCase(name: "assigned but no L2Advertisement", objects: [pool], segments: ["127.20.0.0/24"], kubeProxy: "{mode: iptables}", reachable: false),
        ReachCase(name: "operator off the segment", objects: [pool, advert], segments: [], kubeProxy: "{mode: iptables}", reachable: false),
        ReachCase(name: "IPVS without strictARP", objects: [pool, advert], segments: ["127.20.0.0/24"], kubeProxy: "{mode: ipvs, strictARP: false}", reachable: false),
        ReachCase(name: "IPVS with strictARP", objects: [pool, advert], segments: ["127.20.0.0/24"], kubeProxy: "{mode: ipvs, strictARP: true}", reachable: true),
    ]

    @Test(arguments: reachCases)
    func reachability(_ c: ReachCase) {
        let store = ObjectStore()
        for o in c.objects + [Self.lbService("a")] { try! SimFixtures.put(o, into: store) }
        try! SimFixtures.put(SimFixtures.yaml("{apiVersion: v1, kind: Pod, metadata: {name: a-1, namespace: default, labels: {app: a}}, spec: {nodeName: n1, containers: [{name: a}]}}"), into: store)
        let topology = Self.topology(metallb: "0.14.8", segments: c.segments, kubeProxy: c.kubeProxy)
        let controller = MetalLBController(store: store, topology: topology)
        _ = controller.reconcile()
        let planner = ExposurePlanner(store: store, topology: topology, assignments: controller.assignments, pools: controller.pools)
        let lb = planner.plan().exposures.first { $0.address == "127.20.0.240" && $0.port == 80 }
        #expect(lb?.outcome == (c.reachable ? .answers : .timesOut), "\(lb?.description ?? "no exposure")")
    }
}
