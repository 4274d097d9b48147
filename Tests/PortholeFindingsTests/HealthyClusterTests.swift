import Foundation
import PortholeKube
import Testing
@testable import PortholeFindings

/// No false positives: a correct setup raises nothing at all.
struct HealthyClusterTests {
    static let correctGateway = """
        apiVersion: networking.istio.io/v1alpha3
        kind: Gateway
        metadata: {name: prometheus-gateway, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 9090, name: http-prom, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata: {name: prometheus, namespace: default}
        spec:
          hosts: ["*"]
          gateways: [istio-system/prometheus-gateway]
          http:
          - match: [{uri: {prefix: /}}]
            route:
            - destination: {host: prometheus.istio-system.svc.cluster.local, port: {number: 9090}}
        ---
        apiVersion: security.istio.io/v1beta1
        kind: AuthorizationPolicy
        metadata: {name: prometheus-admin-only, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          action: ALLOW
          rules:
          - from: [{source: {remoteIpBlocks: [198.51.100.7/32]}}]
        """

    @Test func correctGatewayAndVirtualServiceWithFQDNRaiseNothing() throws {
        // The notes' cluster on bare metal: node and pool on one LAN, a free address left in the pool.
        let healthy = Fixtures.notesCluster
            .replacingOccurrences(of: "{type: ExternalIP, address: 129.204.7.185}, ", with: "")
            .replacingOccurrences(of: "10.0.0.5", with: "192.168.1.10")
            .replacingOccurrences(of: "129.204.7.185-129.204.7.185", with: "192.168.1.240-192.168.1.241")
            .replacingOccurrences(of: "129.204.7.185", with: "192.168.1.240")
            // The gateway keeps client addresses, so the operator-only policy sees the operator (PH0703 otherwise).
            .replacingOccurrences(of: "  type: LoadBalancer\n  selector: {app: istio-ingressgateway", with: "  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector: {app: istio-ingressgateway")
        let s = try Fixtures.live(healthy + "\n---\n" + Self.correctGateway)
        let findings = FindingChecks.run(s)
        #expect(findings.isEmpty, "\(findings.map { "\($0.code) \($0.message)" })")
    }

    @Test func emptyClusterRaisesNothing() throws {
        #expect(FindingChecks.run(try Fixtures.live("")).isEmpty)
        #expect(FindingChecks.run(ClusterSnapshot()).isEmpty)
    }

    @Test func namespaceScopeKeepsOnlyThatNamespace() throws {
        let s = try Fixtures.live(Fixtures.notesCluster).applying(try ClusterSnapshot(manifests: Fixtures.notesManifests))
        let scoped = FindingChecks.run(s, scope: CheckScope(namespace: "istio-system"))
        #expect(!scoped.isEmpty)
        #expect(scoped.allSatisfy { $0.object?.namespace == nil || $0.object?.namespace == "istio-system" })
    }

    @Test func runIsDeterministicAndOrdered() throws {
        let s = try Fixtures.live(Fixtures.notesCluster).applying(try ClusterSnapshot(manifests: Fixtures.notesManifests))
        let a = FindingChecks.run(s), b = FindingChecks.run(s)
        #expect(a == b)
        #expect(a.map(\.level) == a.map(\.level).sorted(by: >))
    }

    @Test func codesFilterRunsOnlyThoseCodes() throws {
        let s = try Fixtures.live(Fixtures.notesCluster).applying(try ClusterSnapshot(manifests: Fixtures.notesManifests))
        #expect(Set(FindingChecks.run(s, codes: ["PH0301"]).map(\.code)) == ["PH0301"])
    }
}
