import Foundation
import PortholeKube
import Testing
@testable import PortholeFindings

/// The planner's ranking per situation.
struct PlannerTests {
    static let node = """
        apiVersion: v1
        kind: Node
        metadata: {name: node-1}
        status:
          addresses: [{type: InternalIP, address: 192.168.1.10}]
        """
    static let prometheus = """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: monitoring, labels: {app: prometheus}}
        spec:
          selector: {app: prometheus}
          ports: [{port: 9090}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: prometheus-0, namespace: monitoring, labels: {app: prometheus}}
        spec: {containers: [{name: prometheus, image: prom/prometheus:v2.42.0}]}
        """
    static func join(_ docs: String...) -> String { docs.joined(separator: "\n---\n") }
    static func ids(_ r: [RankedApproach]) -> [String] { r.map(\.id) }

    @Test func notesClusterPutsTheIstioGatewayFirst() throws {
        let ranked = ApproachPlanner.rank(try Fixtures.live(Fixtures.notesCluster))
        #expect(ranked.first?.id == "istio-gateway")
        #expect(ranked.first?.reason.contains("129.204.7.185") == true)
        let lb = try #require(ranked.first { $0.id == "loadbalancer-metallb" })
        #expect(lb.reason.contains("exhausted"))
        let pf = try #require(ranked.first { $0.id == "port-forward" })
        #expect(!pf.reachesFromOutside && pf.viable)
        #expect(Set(Self.ids(ranked)) == Set(ApproachID.allCases.map(\.rawValue)))
    }

    @Test func bareClusterPrefersNodePortAndRulesOutLoadBalancer() throws {
        let ranked = ApproachPlanner.rank(try Fixtures.live(Self.join(Self.node, Self.prometheus)))
        #expect(ranked.first?.id == "nodeport")
        let lb = try #require(ranked.first { $0.id == "loadbalancer-metallb" })
        #expect(!lb.viable && lb.reason.contains("no load-balancer controller"))
        #expect(ranked.first { $0.id == "istio-gateway" }?.viable == false)
        // Non-viable approaches come after every viable one.
        let firstNonViable = ranked.firstIndex { !$0.viable }!
        #expect(ranked[firstNonViable...].allSatisfy { !$0.viable })
    }

    @Test func cloudVMWithPublicPoolRulesOutLayer2() throws {
        let cloudNode = Self.node.replacingOccurrences(of: "192.168.1.10", with: "10.0.0.5")
        let ranked = ApproachPlanner.rank(try Fixtures.live(Self.join(
            cloudNode, Self.prometheus, MetalLBExamples.controller("v0.14.5"), MetalLBExamples.pool("203.0.113.10/32"), MetalLBExamples.l2)))
        let lb = try #require(ranked.first { $0.id == "loadbalancer-metallb" })
        #expect(!lb.viable)
        #expect(lb.reason.contains("outside every node's segment"))
        #expect(ranked.first?.id == "nodeport")
    }

    @Test func healthyMetalLBWithoutIstioPrefersTheLoadBalancer() throws {
        let ranked = ApproachPlanner.rank(try Fixtures.live(Self.join(
            Self.node, Self.prometheus, MetalLBExamples.controller("v0.14.5"), MetalLBExamples.pool("192.168.1.240-192.168.1.250"), MetalLBExamples.l2)))
        #expect(ranked.first?.id == "loadbalancer-metallb")
        #expect(ranked.first?.findings.isEmpty == true)
    }

    @Test func reachableIngressNginxIsViableUnlessStrictMTLSBlocksIt() throws {
        let base = Self.join(Self.node, Self.prometheus, IngressExamples.controller(), IngressExamples.controllerService("NodePort"))
        let ranked = ApproachPlanner.rank(try Fixtures.live(base))
        #expect(ranked.first?.id == "nginx-ingress")
        let meshed = base.replacingOccurrences(of: "spec: {containers: [{name: prometheus, image: prom/prometheus:v2.42.0}]}",
                                               with: "spec: {containers: [{name: prometheus, image: prom/prometheus:v2.42.0}, {name: istio-proxy, image: istio/proxyv2:1.22.0}]}")
        let strict = Self.join(meshed, """
            apiVersion: security.istio.io/v1beta1
            kind: PeerAuthentication
            metadata: {name: default, namespace: istio-system}
            spec: {mtls: {mode: STRICT}}
            """)
        let blocked = ApproachPlanner.rank(try Fixtures.live(strict))
        let nginx = try #require(blocked.first { $0.id == "nginx-ingress" })
        #expect(!nginx.viable && nginx.reason.contains("STRICT"))
    }

    @Test func gatewayAPIServedBeatsAClusterIPGateway() throws {
        let gw = """
            apiVersion: v1
            kind: Service
            metadata: {name: istio-ingressgateway, namespace: istio-system, labels: {istio: ingressgateway}}
            spec:
              type: ClusterIP
              selector: {istio: ingressgateway}
              ports: [{name: http2, port: 80, targetPort: 8080}]
            """
        var s = try Fixtures.live(Self.join(Self.node, Self.prometheus, gw), served: Fixtures.istioKinds.union(Fixtures.gatewayAPIKinds))
        let ranked = ApproachPlanner.rank(s)
        #expect(ranked.first { $0.id == "istio-gateway" }?.viable == false)
        #expect(ranked.first { $0.id == "gateway-api" }?.reason.contains("Istio implements") == true)
        let gi = ranked.firstIndex { $0.id == "gateway-api" }!, ii = ranked.firstIndex { $0.id == "istio-gateway" }!
        #expect(gi < ii)
        s.servedKinds = s.servedKinds!.subtracting(Fixtures.gatewayAPIKinds)
        #expect(ApproachPlanner.rank(s).first { $0.id == "gateway-api" }?.viable == false)
    }

    @Test func rankingIsDeterministic() throws {
        let s = try Fixtures.live(Fixtures.notesCluster)
        #expect(ApproachPlanner.rank(s) == ApproachPlanner.rank(s))
    }
}
