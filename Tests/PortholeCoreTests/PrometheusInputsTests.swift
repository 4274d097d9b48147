import Foundation
import Testing
import PortholeFindings
import PortholeKube
@testable import PortholeCore

/// A playbook's Prometheus inputs follow the cluster's Prometheus unless the operator chose one.
@Suite struct PrometheusInputsTests {
    static let playbook = """
    id: t
    title: T
    inputs:
      namespace: {default: istio-system}
      service: {default: prometheus}
      port: {default: "9090"}
    steps:
      - {id: s, title: S, outcomes: [{verdict: pass}]}
    """

    static func cluster(_ services: [(String, String, Int)]) throws -> ClusterSnapshot {
        let docs = services.map { ns, name, port in
            let headless = name == "prometheus-operated" ? "clusterIP: None, " : ""
            return "{apiVersion: v1, kind: Service, metadata: {name: \(name), namespace: \(ns)}, spec: {\(headless)selector: {app: p}, ports: [{name: http, port: \(port), targetPort: 9090}]}}"
        }
        let list = try JSONValue.parse("{\"items\": [\(docs.map { try JSONValue.yaml($0).compactJSON }.joined(separator: ","))]}")
        return try ClusterSnapshot(listJSON: list, served: [.service], collected: [.service])
    }

    func resolve(_ given: [String: String], _ services: [(String, String, Int)]) throws -> PrometheusInputs.Resolution {
        PrometheusInputs.resolve(try PlaybookLoader().load(text: Self.playbook, file: "t.yaml"), given: given, snapshot: try Self.cluster(services))
    }

    @Test func theClustersPrometheusReplacesAMissingDefault() throws {
        let r = try resolve([:], [("monitoring", "prometheus-server", 80)])
        #expect(r.inputs == ["namespace": "monitoring", "service": "prometheus-server", "port": "80"])
        #expect(r.note?.contains("istio-system/prometheus does not exist") == true, "\(String(describing: r.note))")
    }

    @Test func whatTheOperatorSetIsKept() throws {
        let r = try resolve(["namespace": "obs"], [("monitoring", "prometheus-server", 80)])
        #expect(r.inputs == ["namespace": "obs"] && r.note == nil)
        let port = try resolve(["port": "8080"], [("monitoring", "prometheus-server", 80)])
        #expect(port.inputs == ["namespace": "monitoring", "service": "prometheus-server", "port": "8080"])
    }

    @Test func anExistingDefaultIsKept() throws {
        let r = try resolve([:], [("istio-system", "prometheus", 9090), ("monitoring", "prometheus-server", 80)])
        #expect(r.inputs.isEmpty && r.note == nil)
    }

    /// The operator's headless `prometheus-operated` is taken only when nothing else fronts Prometheus, and the note
    /// says what that means for NodePort and LoadBalancer.
    @Test func aHeadlessServiceIsTheLastResortAndSaidSo() throws {
        let beside = try resolve([:], [("monitoring", "prometheus-operated", 9090), ("monitoring", "kps-kube-prometheus-prometheus", 9090)])
        #expect(beside.inputs["service"] == "kps-kube-prometheus-prometheus")
        #expect(beside.note?.contains("headless") == false, "\(String(describing: beside.note))")
        let alone = try resolve([:], [("monitoring", "prometheus-operated", 9090)])
        #expect(alone.inputs == ["namespace": "monitoring", "service": "prometheus-operated", "port": "9090"])
        #expect(alone.note?.contains("It is headless (clusterIP: None)") == true && alone.note?.contains("PH0115") == true, "\(String(describing: alone.note))")
    }

    @Test func noPrometheusChangesNothing() throws {
        let r = try resolve([:], [("default", "web", 80)])
        #expect(r.inputs.isEmpty && r.note == nil)
    }
}
