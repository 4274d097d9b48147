import Foundation
import Testing
import PortholeKube
import PortholeNet
@testable import PortholeLab

/// Client-address filters the lab enforces: `loadBalancerSourceRanges` (kube-proxy drops other sources on the
/// load-balancer address only: a connect timeout) and ingress-nginx allow-lists (403 to the address nginx sees,
/// a node's under externalTrafficPolicy Cluster). Real sockets from loopback: the test client is 127.0.0.1.
@Suite(.serialized) struct DataPlaneSourceRangeTests {
    typealias Lab = DataPlaneScenarioTests.Lab

    static func edit(_ lab: Lab, _ ref: ObjectRef, _ change: (inout JSONValue) -> Void) {
        var o = lab.store.get(ref)!
        change(&o)
        lab.store.put(ref, o)
        lab.sim.settle()
    }

    @Test func loadBalancerSourceRangesDropOtherSourcesOnTheLoadBalancerAddressOnly() throws {
        let lab = try Lab("metallb-crds")
        defer { withExtendedLifetime(lab) {} }
        let gateway = ObjectRef(Kinds.services, namespace: "istio-system", name: "istio-ingressgateway")
        let (lb, node) = ("127.168.10.240", "127.168.10.11")
        #expect(lab.get(lb, 80, "/productpage").0 == .status(200))
        Self.edit(lab, gateway) { $0["spec"]?["loadBalancerSourceRanges"] = ["198.51.100.7/32"] }
        #expect(lab.get(lb, 80, "/productpage").0 == .timeout, "the operator (127.0.0.1) is outside: kube-proxy drops the SYN")
        #expect(lab.get(node, 30080, "/productpage").0 == .status(200), "the nodePort is not filtered")
        Self.edit(lab, gateway) { $0["spec"]?["loadBalancerSourceRanges"] = ["198.51.100.7/32", "127.0.0.0/8"] }
        #expect(lab.get(lb, 80, "/productpage").0 == .status(200), "one range holding the operator admits it")
        Self.edit(lab, gateway) { $0["spec"]?["externalTrafficPolicy"] = "Local"; $0["spec"]?["loadBalancerSourceRanges"] = ["127.0.0.1/32"] }
        #expect(lab.get(lb, 80, "/productpage").0 == .status(200), "the client's own address, whatever the traffic policy")
        Self.edit(lab, gateway) { $0["spec"]?["loadBalancerSourceRanges"] = ["10.0.0.0/8"] }
        #expect(lab.get(lb, 80, "/productpage").0 == .timeout)
        #expect(lab.sim.operatorView().contains { $0.address == lab.shift(lb) && $0.port == 80 && $0.detail.contains("loadBalancerSourceRanges") })
    }

    static let ingress = """
        {apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: prometheus, namespace: istio-system, annotations: ANNOTATIONS},
         spec: {ingressClassName: nginx, rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: prometheus, port: {number: 9090}}}}]}}]}}
        """

    @Test func nginxAllowListJudgesTheAddressNginxSees() throws {
        let lab = try Lab("ingress-nginx")
        defer { withExtendedLifetime(lab) {} }
        let node = "127.168.30.31"
        let controller = ObjectRef(Kinds.services, namespace: "ingress-nginx", name: "ingress-nginx-controller")
        lab.apply("""
        {apiVersion: security.istio.io/v1, kind: PeerAuthentication, metadata: {name: prometheus, namespace: istio-system},
         spec: {selector: {matchLabels: {app: prometheus}}, mtls: {mode: PERMISSIVE}}}
        """)
        func allow(_ annotations: String) { lab.apply(Self.ingress.replacingOccurrences(of: "ANNOTATIONS", with: annotations)) }
        allow("{}")
        #expect(lab.get(node, 30180, "/-/ready").0 == .status(200))
        // Cluster (the default): nginx sees the node's address, so an allow-list of the operator denies the operator.
        allow("{nginx.ingress.kubernetes.io/allowlist-source-range: 127.0.0.1/32}")
        let (denied, r) = lab.get(node, 30180, "/-/ready")
        #expect(denied == .status(403) && String(decoding: r?.body ?? [], as: UTF8.self).contains("403 Forbidden") && r?.headers["Server"] == "nginx")
        // ... and one holding the node's network (written with the real address the node stands for) admits everyone.
        allow("{nginx.ingress.kubernetes.io/whitelist-source-range: '198.51.100.7/32, 192.168.30.0/24'}")
        #expect(lab.get(node, 30180, "/-/ready").0 == .status(200), "the older annotation name, real-address terms")
        // Local: nginx sees the operator's own address.
        Self.edit(lab, controller) { $0["spec"]?["externalTrafficPolicy"] = "Local" }
        #expect(lab.get(node, 30180, "/-/ready").0 == .status(403), "the node's network no longer holds the client")
        allow("{nginx.ingress.kubernetes.io/allowlist-source-range: 127.0.0.1/32}")
        #expect(lab.get(node, 30180, "/-/ready").0 == .status(200))
        allow("{nginx.ingress.kubernetes.io/allowlist-source-range: 198.51.100.7/32, nginx.ingress.kubernetes.io/whitelist-source-range: 127.0.0.1/32}")
        #expect(lab.get(node, 30180, "/-/ready").0 == .status(403), "the newer name wins over the older")
    }

    @Test func rangesMatchTheLoopbackAddressOrTheRealOneItStandsFor() throws {
        let (text, _) = try SimFixtures.isolated("ingress-nginx")
        let (_, topology) = try SimFixtures.load(text)
        let node = topology.nodes[0].internalIP
        #expect(SourceRanges.admits([], source: "127.0.0.1", topology: topology), "no ranges: no filter")
        #expect(SourceRanges.admits(["127.0.0.1/32"], source: "127.0.0.1", topology: topology))
        #expect(!SourceRanges.admits(["198.51.100.7/32"], source: "127.0.0.1", topology: topology))
        #expect(SourceRanges.admits(["192.168.30.31"], source: node, topology: topology), "a bare address is a /32, in real terms")
        #expect(!SourceRanges.admits(["192.168.31.0/24"], source: node, topology: topology))
    }

    /// AuthorizationPolicy address blocks take the same two forms, so both filters judge a source alike.
    @Test func authorizationPolicyBlocksAlsoTakeTheRealAddress() throws {
        var r = AuthorizationPolicies.Request(sourceIP: "127.168.30.31", port: 80, host: "h", method: "GET", path: "/", headers: HTTPHeaders(),
                                              realSourceIPs: ["192.168.30.31"])
        let policy = try JSONValue.yaml("spec: {rules: [{from: [{source: {ipBlocks: [192.168.30.0/24]}}]}]}")
        let when = try JSONValue.yaml("spec: {rules: [{when: [{key: source.ip, notValues: [192.168.30.31]}]}]}")
        #expect(AuthorizationPolicies.matches(policy, r))
        #expect(!AuthorizationPolicies.matches(when, r))
        r.realSourceIPs = []
        #expect(!AuthorizationPolicies.matches(policy, r))
        #expect(AuthorizationPolicies.matches(when, r))
    }
}
