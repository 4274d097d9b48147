import Foundation
import PortholeKube
import Testing
@testable import PortholeFindings

struct SnapshotTests {
    @Test func listJSONGroupsItemsByKindAndGroup() throws {
        let list = try JSONValue.parse("""
            {"apiVersion":"v1","kind":"List","items":[
              {"apiVersion":"v1","kind":"Service","metadata":{"name":"a","namespace":"x"}},
              {"apiVersion":"networking.istio.io/v1alpha3","kind":"Gateway","metadata":{"name":"g","namespace":"x"}},
              {"apiVersion":"gateway.networking.k8s.io/v1","kind":"Gateway","metadata":{"name":"h","namespace":"x"}}
            ]}
            """)
        let s = try ClusterSnapshot(listJSON: list, served: [.service, .istioGateway], collected: [.service, .istioGateway, .pod])
        #expect(s.items(.service).count == 1)
        #expect(s.istioGateways.map(\.name) == ["g"])
        #expect(s.apiGateways.map(\.name) == ["h"])
        #expect(s.knows(.pod) && s.pods.isEmpty)
        #expect(s.serves(.httpRoute) == false)
        #expect(s.isLive)
    }

    @Test func listWithoutItemsIsRejected() {
        #expect(throws: SnapshotError.self) { try ClusterSnapshot(listJSON: ["kind": "Status"]) }
    }

    @Test func manifestsGetTheDefaultNamespaceAndUnfoldLists() throws {
        let s = try ClusterSnapshot(manifests: """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: Service, metadata: {name: a}}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: n}
            """)
        #expect(s.services.first?.namespace == "default")
        #expect(s.nodes.first?.object.namespace == nil)
        #expect(s.fromManifests.count == 2)
        #expect(!s.isLive)
        #expect(throws: SnapshotError.missingKind(document: 1, line: 1)) { try ClusterSnapshot(manifests: "metadata: {name: x}") }
    }

    @Test func applyingReplacesSameObject() throws {
        let base = try ClusterSnapshot(manifests: "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: x}\nspec: {type: ClusterIP}")
        let over = try ClusterSnapshot(manifests: "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: x}\nspec: {type: NodePort}")
        let merged = base.applying(over)
        #expect(merged.services.map(\.type) == ["NodePort"])
    }

    @Test func kubectlResourcesUseTheCachedForm() {
        #expect(KindKey.istioGateway.kubectlResource == "gateways.v1alpha3.networking.istio.io")
        #expect(KindKey.standard.allSatisfy { !$0.kubectlResource.isEmpty })
    }

    @Test func ipv4Helpers() {
        #expect(IPv4.range("192.168.1.240-192.168.1.250")?.count == 11)
        #expect(IPv4.range("10.0.0.0/30")?.contains("10.0.0.3") == true)
        #expect(IPv4.range("10.0.0.0/30")?.contains("10.0.0.4") == false)
        #expect(IPv4.networkCIDR("10.0.0.5/24") == "10.0.0.0/24")
        #expect(IPv4.parse("256.1.1.1") == nil)
        #expect(IPv4.isPrivate("10.1.2.3") && !IPv4.isPrivate("203.195.219.185"))
    }

    @Test func hostNames() {
        #expect(HostNames.service("prometheus", from: "default")! == ("prometheus", "default"))
        #expect(HostNames.service("prometheus.istio-system.svc.cluster.local", from: "default")! == ("prometheus", "istio-system"))
        #expect(HostNames.service("prometheus.example.com", from: "default") == nil)
        #expect(HostNames.intersect("*.example.com", "a.example.com"))
        #expect(!HostNames.intersect("a.example.com", "b.example.com"))
    }

    @Test func regexApproximation() {
        #expect(RegexCheck.problem("*") != nil)
        #expect(RegexCheck.problem("?x") != nil)
        #expect(RegexCheck.problem("(a)\\1") != nil)
        #expect(RegexCheck.problem("/api/v1/.*") == nil)
        #expect(RegexCheck.problem("\\(?=literal") == nil)
    }
}

struct IntegrationHelpersTests {
    @Test func discoveryNamesMapToStandardKinds() {
        #expect(KindKey.standardKind(resource: "gateways.networking.istio.io") == .istioGateway)
        #expect(KindKey.standardKind(resource: "gateways.gateway.networking.k8s.io") == .apiGateway)
        #expect(KindKey.standardKind(resource: "gateways.v1alpha3.networking.istio.io") == .istioGateway)
        #expect(KindKey.standardKind(resource: "services") == .service)
        #expect(KindKey.standardKind(resource: "ipaddresspools.metallb.io") == .ipAddressPool)
        #expect(KindKey.standardKind(resource: "widgets.example.com") == nil)
    }

    @Test func probeDocumentListsRaisedCodesAndMarksSuppressed() throws {
        var a = FindingDefinition.invalidRouteRegex.make(ObjectReference(kind: "VirtualService", namespace: "default", name: "p"), ["regex": .value("*")])
        let b = FindingDefinition.destinationPortMissing.make(nil, [:])
        a.suppression = AppliedSuppression(reason: "r", until: nil, source: "scope")
        let doc = [a, b].probeDocument
        #expect(doc["raised"] == ["PH0308"])
        #expect(doc["findings"]?[0]?["suppressed"]?["reason"] == "r")
        #expect(doc["findings"]?[0]?["object"] == "virtualservice default/p")
    }
}
