import Foundation
import Testing
import PortholeKube
import PortholeNet
@testable import PortholeLab

/// Istio AuthorizationPolicy enforced by the lab's gateway Envoy: DENY first, then ALLOW (when any applies,
/// one must match), `403 RBAC: access denied` otherwise. The test client connects from 127.0.0.1.
@Suite(.serialized) struct DataPlaneAuthorizationTests {
    typealias Lab = DataPlaneNotesTests.Lab

    static func policy(_ name: String, _ spec: String, namespace: String = "istio-system") -> String {
        "{apiVersion: security.istio.io/v1beta1, kind: AuthorizationPolicy, metadata: {name: \(name), namespace: \(namespace)}, spec: \(spec)}"
    }

    func body(_ r: HTTPResponse?) -> String { String(decoding: r?.body ?? [], as: UTF8.self) }

    /// The gateway Service's externalTrafficPolicy: Local keeps the client's address (Cluster masquerades it).
    static func keepClientAddress(_ lab: Lab) {
        lab.edit(DataPlaneNotesTests.gatewayRef) { $0["spec"]?["externalTrafficPolicy"] = "Local" }
    }

    @Test func allowNothingDeniesEverythingUntilAnAllowMatches() throws {
        let lab = try Lab()
        defer { withExtendedLifetime(lab) {} }
        #expect(DataPlaneNotesTests.get(lab.node, 31380, "/productpage").0 == .status(200))
        lab.apply(Self.policy("allow-nothing", "{}"))
        let (denied, r) = DataPlaneNotesTests.get(lab.node, 31380, "/productpage")
        #expect(denied == .status(403) && body(r) == "RBAC: access denied" && r?.headers["server"] == "istio-envoy", "\(String(describing: r))")
        // An ALLOW for this client and one path: that path passes, every other is still denied before routing.
        Self.keepClientAddress(lab)
        lab.apply(Self.policy("operator", "{selector: {matchLabels: {istio: ingressgateway}}, rules: [{from: [{source: {ipBlocks: [127.0.0.1/32]}}], to: [{operation: {paths: [/product*]}}]}]}"))
        #expect(DataPlaneNotesTests.get(lab.node, 31380, "/productpage").0 == .status(200))
        #expect(DataPlaneNotesTests.get(lab.node, 31380, "/graph").0 == .status(403))
    }

    @Test func withClusterTrafficPolicyTheGatewaySeesTheNodeNotTheOperator() throws {
        let lab = try Lab()
        defer { withExtendedLifetime(lab) {} }
        // The shape of porthole's restrict-to-operator fix: deny everyone outside the operator's address.
        lab.apply(Self.policy("operator-only", "{selector: {matchLabels: {istio: ingressgateway}}, action: DENY, rules: [{from: [{source: {notIpBlocks: [127.0.0.1/32]}}]}]}"))
        // externalTrafficPolicy Cluster (the default): kube-proxy masquerades to the node's address; the operator is denied.
        #expect(DataPlaneNotesTests.get(lab.node, 31380, "/productpage").0 == .status(403))
        // The node's own address is what the gateway sees: a policy naming it admits the request.
        lab.apply(Self.policy("operator-only", "{selector: {matchLabels: {istio: ingressgateway}}, action: DENY, rules: [{from: [{source: {notIpBlocks: [\(lab.shift("127.10.0.5"))]}}]}]}"))
        #expect(DataPlaneNotesTests.get(lab.node, 31380, "/productpage").0 == .status(200))
        // Local keeps the client's address.
        Self.keepClientAddress(lab)
        #expect(DataPlaneNotesTests.get(lab.node, 31380, "/productpage").0 == .status(403))
        lab.apply(Self.policy("operator-only", "{selector: {matchLabels: {istio: ingressgateway}}, action: DENY, rules: [{from: [{source: {notIpBlocks: [127.0.0.1/32]}}]}]}"))
        #expect(DataPlaneNotesTests.get(lab.node, 31380, "/productpage").0 == .status(200))
        // DENY beats a matching ALLOW.
        lab.apply(Self.policy("allow-all", "{rules: [{}]}"))
        lab.apply(Self.policy("deny-all", "{selector: {matchLabels: {istio: ingressgateway}}, action: DENY, rules: [{}]}"))
        #expect(DataPlaneNotesTests.get(lab.node, 31380, "/productpage").0 == .status(403))
    }

    @Test func policiesOfOtherWorkloadsDoNotApply() throws {
        let lab = try Lab()
        defer { withExtendedLifetime(lab) {} }
        lab.apply(Self.policy("deny-all", "{action: DENY, rules: [{}]}", namespace: "default"))
        lab.apply(Self.policy("deny-other", "{selector: {matchLabels: {app: not-the-gateway}}, action: DENY, rules: [{}]}"))
        #expect(DataPlaneNotesTests.get(lab.node, 31380, "/productpage").0 == .status(200))
    }

    @Test(arguments: [
        ("*", "", false), ("*", "a", true), ("/api/*", "/api/v1", true), ("/api/*", "/graph", false),
        ("*.example.com", "prometheus.example.com", true), ("prometheus.example.com", "prometheus.example.com:80", false),
        ("prometheus.example.com:*", "prometheus.example.com:80", true),
    ])
    func wildcards(pattern: String, value: String, expected: Bool) {
        #expect(AuthorizationPolicies.wildcard(pattern, value) == expected)
    }

    @Test func blocksTakeAddressesAndCIDRs() {
        #expect(AuthorizationPolicies.inBlock("127.0.0.1", "127.0.0.1"))
        #expect(AuthorizationPolicies.inBlock("127.0.0.1", "127.0.0.0/8"))
        #expect(!AuthorizationPolicies.inBlock("127.0.0.1", "10.0.0.0/8"))
    }

    @Test func identitiesNeverMatchAClientOutsideTheMesh() throws {
        let r = AuthorizationPolicies.Request(sourceIP: "127.0.0.1", port: 80, host: "h", method: "GET", path: "/", headers: HTTPHeaders())
        func policy(_ yaml: String) throws -> JSONValue { try JSONValue.yaml(yaml) }
        #expect(!AuthorizationPolicies.matches(try policy("spec: {rules: [{from: [{source: {principals: ['*']}}]}]}"), r))
        #expect(AuthorizationPolicies.matches(try policy("spec: {rules: [{from: [{source: {notNamespaces: [prod]}}]}]}"), r))
        #expect(AuthorizationPolicies.matches(try policy("spec: {rules: [{to: [{operation: {methods: [GET], ports: ['80']}}]}]}"), r))
        #expect(!AuthorizationPolicies.matches(try policy("spec: {rules: [{to: [{operation: {notMethods: [GET]}}]}]}"), r))
        #expect(AuthorizationPolicies.matches(try policy("spec: {rules: [{when: [{key: source.ip, values: [127.0.0.0/8]}]}]}"), r))
        #expect(!AuthorizationPolicies.matches(try policy("spec: {rules: [{when: [{key: 'request.auth.claims[iss]', values: ['*']}]}]}"), r))
        #expect(!AuthorizationPolicies.matches(try policy("spec: {}"), r))
    }

    /// A meshed peer (the gateway's Envoy over mTLS) has a principal and a namespace that policies can name.
    @Test func identitiesMatchAMeshedPeer() throws {
        var r = AuthorizationPolicies.Request(sourceIP: "10.244.0.9", port: 9090, host: "h", method: "GET", path: "/", headers: HTTPHeaders())
        r.principal = "cluster.local/ns/istio-ingress/sa/istio-ingress"
        r.sourceNamespace = "istio-ingress"
        func policy(_ yaml: String) throws -> JSONValue { try JSONValue.yaml(yaml) }
        #expect(AuthorizationPolicies.matches(try policy("spec: {rules: [{from: [{source: {principals: ['cluster.local/ns/istio-ingress/sa/*']}}]}]}"), r))
        #expect(!AuthorizationPolicies.matches(try policy("spec: {rules: [{from: [{source: {principals: [cluster.local/ns/monitoring/sa/grafana]}}]}]}"), r))
        #expect(AuthorizationPolicies.matches(try policy("spec: {rules: [{from: [{source: {namespaces: [istio-ingress]}}]}]}"), r))
        #expect(!AuthorizationPolicies.matches(try policy("spec: {rules: [{from: [{source: {notNamespaces: [istio-ingress]}}]}]}"), r))
        #expect(AuthorizationPolicies.matches(try policy("spec: {rules: [{when: [{key: source.namespace, values: [istio-*]}]}]}"), r))
        #expect(!AuthorizationPolicies.matches(try policy("spec: {rules: [{from: [{source: {requestPrincipals: ['*']}}]}]}"), r))
    }
}
