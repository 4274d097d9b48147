import Foundation
import PortholeKube

/// Which Services front a Prometheus server, best first, whatever installed it: Istio's addon
/// (`istio-system/prometheus`), the prometheus-community chart (`prometheus-server`, port 80 -> 9090),
/// kube-prometheus-stack (`<release>-kube-prometheus-prometheus`, port 9090 named `http-web`),
/// kube-prometheus (`prometheus-k8s`), or the operator's headless `prometheus-operated`.
/// One definition, used by the findings, the planner, the session's overview and the playbooks' inputs.
public enum PrometheusTargets {
    /// Components around Prometheus that are not the server people open.
    static let notTheServer = ["operator", "node-exporter", "alertmanager", "pushgateway", "adapter", "blackbox",
                               "kube-state-metrics", "grafana", "thanos", "config-reloader"]

    /// The port of `svc` that reaches the Prometheus UI (9090 behind it), if any.
    public static func uiPort(_ svc: Service) -> ServicePort? {
        svc.ports.first { $0.port == 9090 || $0.targetNumber == 9090 }
            ?? svc.ports.first { ["web", "http-web"].contains($0.targetPort?.stringValue ?? "") || ["web", "http-web"].contains($0.name ?? "") }
    }

    /// True when `svc` looks like a Prometheus server (name or labels, and a port that reaches 9090).
    public static func isPrometheus(_ svc: Service) -> Bool {
        let l = svc.object.labels, sel = svc.selector
        let named = svc.name.contains("prometheus") || l["app"] == "prometheus" || l["app.kubernetes.io/name"] == "prometheus"
            || sel["app"] == "prometheus" || sel["app.kubernetes.io/name"] == "prometheus"
        let component = notTheServer.contains { svc.name.contains($0) }
            || ["alertmanager", "node-exporter", "pushgateway", "grafana", "kube-state-metrics"].contains(l["app.kubernetes.io/name"] ?? "")
        return named && !component && uiPort(svc) != nil
    }

    /// Every Prometheus-like Service, best first: the Istio addon's name, then Services that can take an
    /// address (not headless), then by namespace and name.
    public static func candidates(_ s: ClusterSnapshot) -> [Service] {
        func rank(_ svc: Service) -> Int {
            var r = 0
            if svc.name == "prometheus" { r -= 4 }
            if svc.object.spec["clusterIP"]?.stringValue == "None" { r += 8 }  // headless: no address, no nodePort
            if svc.name == "prometheus-operated" { r += 2 }
            return r
        }
        return s.services.filter(isPrometheus).sorted { (rank($0), $0.namespace, $0.name) < (rank($1), $1.namespace, $1.name) }
    }
}
