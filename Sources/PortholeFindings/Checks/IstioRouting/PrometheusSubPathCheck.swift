import Foundation
import PortholeKube

extension FindingDefinition {
    static let prometheusSubPath = FindingDefinition(
        code: "PH0311", level: .warning, title: "PrometheusSubPathWithoutRoutePrefix",
        template: "{object} serves {prometheus} under the sub-path {path}, but Prometheus runs without --web.external-url/--web.route-prefix for it: its redirects and links point at / and break",
        cause: "Prometheus builds its redirects (/ -> /graph) and UI links from its external URL; behind a sub-path it must know that path, or the browser leaves the sub-path.",
        fix: "start Prometheus with --web.external-url=http://<host>{path}/ (and --web.route-prefix=/ when the proxy strips the prefix), or route the whole host at / instead of {path}")
}

/// Prometheus published under a sub-path it does not know about.
public enum PrometheusSubPathCheck: FindingCheck {
    public static let id = "prometheus-sub-path"
    public static var definitions: [FindingDefinition] { [.prometheusSubPath] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        func judge(_ object: ObjectReference, _ svc: Service?, _ path: String, _ field: String) {
            let p = path.hasSuffix("/") ? String(path.dropLast()) : path
            guard let svc, PrometheusTargets.isPrometheus(svc), !p.isEmpty, p != "/" else { return }
            let pods = s.pods(selectedBy: svc)
            guard !pods.isEmpty else { return }
            let knowsPath = pods.contains { pod in
                pod.containers.contains { c in
                    ((c["args"]?.arrayValue ?? []) + (c["command"]?.arrayValue ?? [])).compactMap(\.stringValue).contains { arg in
                        (arg.hasPrefix("--web.external-url") || arg.hasPrefix("--web.route-prefix")) && arg.contains(p)
                    }
                }
            }
            if !knowsPath {
                out.append(FindingDefinition.prometheusSubPath.make(object, field: field, [
                    "object": .object(object), "prometheus": .object(svc.reference), "path": .value(p),
                ]))
            }
        }
        for vs in s.virtualServices {
            for (ri, route) in (vs.object.spec["http"]?.arrayValue ?? []).enumerated() {
                let prefixes = (route["match"]?.arrayValue ?? []).compactMap { $0["uri"]?["prefix"]?.stringValue }
                for d in (route["route"]?.arrayValue ?? []).compactMap({ $0["destination"] }) {
                    guard let host = d["host"]?.stringValue, let r = s.serviceName(host, from: vs.namespace) else { continue }
                    for (mi, prefix) in prefixes.enumerated() {
                        judge(vs.reference, s.service(r.name, in: r.namespace), prefix, "spec.http[\(ri)].match[\(mi)].uri.prefix")
                    }
                }
            }
        }
        for ing in s.ingresses {
            for (ri, rule) in (ing.object.spec["rules"]?.arrayValue ?? []).enumerated() {
                for (pi, path) in (rule["http"]?["paths"]?.arrayValue ?? []).enumerated() {
                    guard let b = path["backend"].flatMap({ Ingress.backend($0, field: "") }) else { continue }
                    judge(ing.reference, s.service(b.service, in: ing.namespace), path["path"]?.stringValue ?? "/", "spec.rules[\(ri)].http.paths[\(pi)].path")
                }
            }
        }
        return out
    }

    static func objects(path: String, args: String) -> String {
        RoutingExamples.monitoringPrometheus + """

        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: prometheus-0, namespace: monitoring, labels: {app: prometheus}}
        spec:
          containers:
          - name: prometheus
            image: prom/prometheus:v2.42.0
            args: [\(args)]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: prometheus, namespace: monitoring}
        spec:
          ingressClassName: nginx
          rules:
          - http:
              paths:
              - {path: \(path), pathType: Prefix, backend: {service: {name: prometheus, port: {number: 9090}}}}
        """
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("Ingress at /prometheus, Prometheus unaware", raises: ["PH0311"],
                         yaml: objects(path: "/prometheus", args: "--config.file=/etc/prometheus/prometheus.yml")),
            CheckExample("Ingress at /prometheus with --web.external-url", raises: [],
                         yaml: objects(path: "/prometheus", args: "--web.external-url=http://ops.example.com/prometheus/")),
            CheckExample("Ingress at /", raises: [], yaml: objects(path: "/", args: "--config.file=/etc/prometheus/prometheus.yml")),
        ]
    }
}
