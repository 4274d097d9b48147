import Foundation
import Testing
@testable import PortholeFindings

/// Which Service is "Prometheus", whatever installed it.
@Suite struct PrometheusTargetsTests {
    static func service(_ namespace: String, _ name: String, labels: String = "{}", ports: String, headless: Bool = false) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata: {name: \(name), namespace: \(namespace), labels: \(labels)}
        spec:
          \(headless ? "clusterIP: None" : "type: ClusterIP")
          selector: {app: x}
          ports: \(ports)
        """
    }

    static let stack = [
        service("monitoring", "prometheus-operated", ports: "[{name: http-web, port: 9090, targetPort: http-web}]", headless: true),
        service("monitoring", "kps-kube-prometheus-stack-prometheus", labels: "{app: kube-prometheus-stack-prometheus}", ports: "[{name: http-web, port: 9090, targetPort: 9090}]"),
        service("monitoring", "kps-kube-prometheus-stack-alertmanager", ports: "[{name: http-web, port: 9093, targetPort: 9093}]"),
        service("monitoring", "kps-kube-prometheus-stack-operator", ports: "[{name: https, port: 443, targetPort: https}]"),
        service("monitoring", "kps-prometheus-node-exporter", ports: "[{name: http-metrics, port: 9100, targetPort: 9100}]"),
        service("monitoring", "prometheus-pushgateway", labels: "{app.kubernetes.io/name: prometheus-pushgateway}", ports: "[{name: http, port: 9091, targetPort: 9091}]"),
    ]

    func names(_ docs: [String]) throws -> [String] {
        PrometheusTargets.candidates(try Fixtures.live(docs.joined(separator: "\n---\n"))).map { "\($0.namespace)/\($0.name)" }
    }

    @Test func kubePrometheusStackPrefersTheAddressableServer() throws {
        #expect(try names(Self.stack) == ["monitoring/kps-kube-prometheus-stack-prometheus", "monitoring/prometheus-operated"])
    }

    @Test func theIstioAddonComesFirst() throws {
        let addon = Self.service("istio-system", "prometheus", labels: "{app: prometheus}", ports: "[{name: http, port: 9090}]")
        #expect(try names(Self.stack + [addon]).first == "istio-system/prometheus")
    }

    @Test func theCommunityChartServesTheUIOnPort80() throws {
        let chart = Self.service("monitoring", "prometheus-server", labels: "{app.kubernetes.io/name: prometheus}", ports: "[{name: http, port: 80, targetPort: 9090}]")
        let s = try Fixtures.live(chart)
        let found = try #require(PrometheusTargets.candidates(s).first)
        #expect(found.name == "prometheus-server" && PrometheusTargets.uiPort(found)?.port == 80)
    }

    @Test func aServiceWithoutTheUIPortIsNotPrometheus() throws {
        let metrics = Self.service("monitoring", "prometheus-metrics", ports: "[{name: metrics, port: 8080}]")
        #expect(try names([metrics]).isEmpty)
    }
}
