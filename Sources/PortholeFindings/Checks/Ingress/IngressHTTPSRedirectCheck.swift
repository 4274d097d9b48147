import Foundation
import PortholeKube

extension FindingDefinition {
    static let ingressRedirectsToHTTPS = FindingDefinition(
        code: "PH0509", level: .warning, title: "IngressRedirectsPrometheusToHTTPS",
        template: "{ingress} answers plain http://{hosts}/ with 308 Permanent Redirect to https:// ({reason}): over plain HTTP Prometheus never answers; {https}",
        cause: "ingress-nginx redirects every plain request for a host the Ingress has TLS for (spec.tls[].hosts) to https with a 308, before access rules and the upstream, unless nginx.ingress.kubernetes.io/ssl-redirect is \"false\" (or the controller ConfigMap's ssl-redirect); force-ssl-redirect: \"true\" redirects even without TLS.",
        fix: "open https://{hosts}/ on the controller's HTTPS port, or, to serve plain HTTP on purpose, annotate {ingress} nginx.ingress.kubernetes.io/ssl-redirect: \"false\" (and remove force-ssl-redirect)")
}

/// Ingresses for Prometheus that ingress-nginx answers with a redirect to https on plain HTTP.
public enum IngressHTTPSRedirectCheck: FindingCheck {
    public static let id = "ingress-redirects-prometheus-to-https"
    public static var definitions: [FindingDefinition] { [.ingressRedirectsToHTTPS] }

    static let sslRedirect = "nginx.ingress.kubernetes.io/ssl-redirect"
    static let forceSSLRedirect = "nginx.ingress.kubernetes.io/force-ssl-redirect"

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let otherClasses = Set(s.ingressClasses.filter { $0.controller != "k8s.io/ingress-nginx" }.map(\.name))
        let nginxNamespaces = Set(s.ingressNginxServices.map(\.namespace) + s.ingressNginxPods.map(\.namespace))
        // The controller ConfigMap (`<release>-controller`) can turn the redirect off for every Ingress.
        let globalOff = s.configMaps.contains { $0.name.hasSuffix("-controller") && nginxNamespaces.contains($0.namespace) && $0.data["ssl-redirect"] == "false" }
        var out: [Finding] = []
        for ing in s.ingresses where !(ing.className.map(otherClasses.contains) ?? false) {
            guard ing.backends.contains(where: { b in s.service(b.service, in: ing.namespace).map(PrometheusTargets.isPrometheus) ?? false }) else { continue }
            let annotations = ing.object.annotations
            let ruleHosts = (ing.object.spec["rules"]?.arrayValue ?? []).compactMap { $0["host"]?.stringValue }
            let tls = (ing.object.spec["tls"]?.arrayValue ?? [])
            let tlsHosts = tls.flatMap { ($0["hosts"]?.arrayValue ?? []).compactMap(\.stringValue) }
            let reason: String, hosts: [String]
            if annotations[forceSSLRedirect] == "true" {
                reason = "\(forceSSLRedirect): \"true\""
                hosts = ruleHosts.isEmpty ? ["<any host>"] : ruleHosts
            } else {
                let enabled = annotations[sslRedirect].map { $0 != "false" } ?? !globalOff
                let covered = ruleHosts.filter { h in tlsHosts.contains { HostNames.intersect($0, h) } }
                guard enabled, !covered.isEmpty else { continue }
                reason = "spec.tls lists \(covered.joined(separator: ", ")) and \(sslRedirect) is not \"false\""
                hosts = covered
            }
            let secrets = tls.compactMap { $0["secretName"]?.stringValue }
            let https = secrets.isEmpty ? "with no spec.tls secret, HTTPS presents the controller's self-signed default certificate"
                                        : "HTTPS presents the certificate in secret \(secrets.joined(separator: ", "))"
            out.append(FindingDefinition.ingressRedirectsToHTTPS.make(ing.reference, field: annotations[forceSSLRedirect] == "true" ? "metadata.annotations" : "spec.tls", [
                "ingress": .object(ing.reference), "hosts": .list(hosts), "reason": .value(reason), "https": .value(https),
            ]))
        }
        return out
    }

    static func withTLS(_ annotations: String = "{}") -> String {
        IngressExamples.ingress(namespace: "monitoring", annotations: annotations) + """

          tls:
          - hosts: [prometheus.example.com]
            secretName: prometheus-tls
        """
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("TLS for the Prometheus host, default ssl-redirect", raises: ["PH0509"],
                         yaml: IngressExamples.join(IngressExamples.nginxClass, RoutingExamples.monitoringPrometheus, withTLS())),
            CheckExample("force-ssl-redirect without TLS", raises: ["PH0509"],
                         yaml: IngressExamples.join(IngressExamples.nginxClass, RoutingExamples.monitoringPrometheus,
                                                    IngressExamples.ingress(namespace: "monitoring", annotations: "{\(forceSSLRedirect): \"true\"}"))),
            CheckExample("TLS with ssl-redirect false", raises: [],
                         yaml: IngressExamples.join(IngressExamples.nginxClass, RoutingExamples.monitoringPrometheus, withTLS("{\(sslRedirect): \"false\"}"))),
            CheckExample("no TLS", raises: [],
                         yaml: IngressExamples.join(IngressExamples.nginxClass, RoutingExamples.monitoringPrometheus, IngressExamples.ingress(namespace: "monitoring"))),
        ]
    }
}
