import Foundation
import Testing
import PortholeKube
import PortholeLab

/// The overlay rules of `LabFixture.text`: the undo-fidelity situations rest on them.
@Suite struct LabFixtureTests {
    static let base = """
    # a base
    apiVersion: lab.porthole.dev/v1
    kind: LabScenario
    name: base
    ---
    apiVersion: v1
    kind: Namespace
    metadata: {name: default, labels: {istio-injection: enabled}}
    ---
    apiVersion: metallb.io/v1beta1
    kind: IPAddressPool
    metadata: {name: lan-pool, namespace: metallb-system}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: prometheus, namespace: istio-system}
    spec: {selector: {app.kubernetes.io/name: prometheus}}
    """

    static func kinds(_ text: String) throws -> [String] {
        try LabFixture.documents(text).compactMap(LabFixture.identity)
    }

    @Test func anOverlayReplacesInPlaceRemovesAndAppends() throws {
        let overlay = """
        # header
        # remove: IPAddressPool metallb-system/lan-pool
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: istio-system}
        spec: {selector: {app: prometheus}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: default, labels: {istio-injection: disabled}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: monitoring}
        """
        let text = try LabFixture.overlay(Self.base, with: overlay, named: "t")
        #expect(try Self.kinds(text) == ["LabScenario /", "Namespace /default", "Service istio-system/prometheus", "Namespace /monitoring"])
        let values = try JSONValue.yamlDocuments(text).map(\.value)
        #expect(values.contains { $0["metadata"]?["labels"]?["istio-injection"]?.stringValue == "disabled" })
        #expect(!values.contains { $0["metadata"]?["labels"]?["istio-injection"]?.stringValue == "enabled" })
        #expect(values.contains { $0["spec"]?["selector"]?["app"]?.stringValue == "prometheus" })
        #expect(!values.contains { $0["spec"]?["selector"]?["app.kubernetes.io/name"] != nil })
    }

    @Test func removingWhatTheBaseDoesNotHoldFails() {
        #expect(throws: LabFixture.FixtureError.self) {
            try LabFixture.overlay(Self.base, with: "# remove: L2Advertisement metallb-system/lan\n", named: "t")
        }
        #expect(throws: LabFixture.FixtureError.self) {
            try LabFixture.overlay(Self.base, with: "# remove: IPAddressPool lan-pool\n", named: "t")
        }
    }

    @Test func everySituationLoadsAsTheLabWouldReadIt() throws {
        for s in UndoFidelityTests.situations {
            let text = try LabFixture.text(s.scenario)
            let ids = try Self.kinds(text)
            #expect(Set(ids).count == ids.count, "\(s.scenario) holds an object twice: \(ids)")
            _ = try ScenarioLoader.parse(text, file: s.scenario)
        }
    }
}
