import Foundation
import PortholeKube

extension FindingDefinition {
    static let prometheusServedUnderPrefix = FindingDefinition(
        code: "PH0116", level: .info, title: "PrometheusServedUnderPrefix",
        template: "Prometheus behind {service} serves under {prefix} (pod {pod}, --web.route-prefix or --web.external-url): it answers {prefix}/-/ready and {prefix}/graph, and /-/ready is 404",
        cause: "Prometheus started with --web.route-prefix, or with --web.external-url whose path is not / (and no route prefix), registers every endpoint under that path: /-/ready, /graph and the API answer only there, and / redirects to the prefix. A probe or a bookmark without the prefix gets 404 from Prometheus itself, which looks like a broken route.",
        fix: "nothing to change: open the UI at http://<address>{prefix}/graph ({prefix}/query on 3.x; the root's redirect follows --web.external-url), and porthole's playbooks add {prefix} to their probes by themselves")
}

/// Prometheus servers that serve under a path prefix, so probes and links must carry it (read from the
/// pod's arguments; the playbooks capture `prefix` from this finding).
public enum PrometheusRoutePrefixCheck: FindingCheck {
    public static let id = "prometheus-served-under-prefix"
    public static var definitions: [FindingDefinition] { [.prometheusServedUnderPrefix] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.knows(.pod) else { return [] }
        return s.services.filter(PrometheusTargets.isPrometheus).compactMap { svc in
            guard !svc.selector.isEmpty, let pod = s.pods(selectedBy: svc).first(where: { !$0.isGatewayProxy }) else { return nil }
            let prefix = PrometheusRoutePrefix.of(containers: pod.containers)
            guard !prefix.isEmpty else { return nil }
            return FindingDefinition.prometheusServedUnderPrefix.make(svc.reference, field: "spec.selector", [
                "service": .object(svc.reference), "prefix": .value(prefix), "pod": .value("\(pod.namespace)/\(pod.name)"),
            ])
        }
    }

    static func objects(args: String) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: istio-system}
        spec:
          selector: {app: prometheus}
          ports: [{name: http, port: 9090, targetPort: 9090}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: prometheus-0, namespace: istio-system, labels: {app: prometheus}}
        spec:
          containers:
          - {name: prometheus, image: prom/prometheus:v2.42.0, args: \(args)}
        """
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("--web.route-prefix=/prometheus", raises: ["PH0116"], live: true, yaml: objects(args: "[--web.route-prefix=/prometheus]")),
            CheckExample("--web.external-url with a path and no route prefix", raises: ["PH0116"], live: true,
                         yaml: objects(args: "[\"--web.external-url=http://ops.example.com/prometheus/\"]")),
            CheckExample("--web.external-url with a path, --web.route-prefix=/ (a proxy strips the path)", raises: [], live: true,
                         yaml: objects(args: "[\"--web.external-url=http://ops.example.com/prometheus/\", --web.route-prefix=/]")),
            CheckExample("--web.external-url=/prometheus/ (a path without a scheme)", raises: ["PH0116"], live: true,
                         yaml: objects(args: "[--web.external-url=/prometheus/]")),
            CheckExample("no prefix", raises: [], live: true, yaml: objects(args: "[--config.file=/etc/prometheus/prometheus.yml]")),
        ]
    }
}
