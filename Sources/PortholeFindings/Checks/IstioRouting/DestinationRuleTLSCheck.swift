import Foundation
import PortholeKube

extension FindingDefinition {
    static let mutualTLSToPodWithoutSidecar = FindingDefinition(
        code: "PH0309", level: .error, title: "IstioMutualToBackendWithoutSidecar",
        template: "{destinationRule} field {field} = ISTIO_MUTUAL applies to {service}, whose pod {pod} has no sidecar: requests fail with 503 UF",
        cause: "ISTIO_MUTUAL makes clients send Istio mTLS; a backend without an istio-proxy sidecar cannot terminate it, so the upstream connection fails.",
        fix: "add a DestinationRule with host: {host} and trafficPolicy.tls.mode: DISABLE (or inject a sidecar into the backend)")
}

/// ISTIO_MUTUAL towards a routed backend whose pods run without a sidecar (the Prometheus addon's case).
public enum DestinationRuleTLSCheck: FindingCheck {
    public static let id = "istio-mutual-without-sidecar"
    public static var definitions: [FindingDefinition] { [.mutualTLSToPodWithoutSidecar] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.knows(.pod) else { return [] }
        var out: [Finding] = []
        let routed = routedServices(s)
        for dr in s.destinationRules {
            for (mode, field) in dr.tlsModes where mode == "ISTIO_MUTUAL" {
                for svc in targets(of: dr, routed: routed, s, root: scope.istioRootNamespace) {
                    let pods = s.pods(selectedBy: svc)
                    guard let pod = pods.first(where: { !$0.hasSidecar }), !pods.contains(where: \.hasSidecar) else { continue }
                    let fqdn = "\(svc.name).\(svc.namespace).svc.cluster.local"
                    if overridden(fqdn, svc, by: dr, s) { continue }
                    out.append(FindingDefinition.mutualTLSToPodWithoutSidecar.make(dr.reference, field: field, [
                        "destinationRule": .object(dr.reference), "field": .field(field), "service": .object(svc.reference),
                        "pod": .value("\(pod.namespace)/\(pod.name)"), "host": .host(fqdn),
                    ]))
                }
            }
        }
        return out
    }

    /// A wildcard rule in the root namespace applies mesh-wide, elsewhere to its own namespace's Services
    /// (as seen from there); a named rule to its Service.
    static func targets(of dr: DestinationRule, routed: [Service], _ s: ClusterSnapshot, root: String) -> [Service] {
        if dr.host.contains("*") {
            return routed.filter { svc in
                (dr.namespace == root || svc.namespace == dr.namespace) && HostNames.intersect(dr.host, "\(svc.name).\(svc.namespace).svc.cluster.local")
            }
        }
        guard let (name, ns) = HostNames.service(dr.host, from: dr.namespace), let svc = s.service(name, in: ns) else { return [] }
        return [svc]
    }

    /// True when a more specific rule for the host sets its own TLS mode (the usual DISABLE fix).
    static func overridden(_ fqdn: String, _ svc: Service, by dr: DestinationRule, _ s: ClusterSnapshot) -> Bool {
        guard dr.host.contains("*") else { return false }
        return s.destinationRules.contains { other in
            guard !other.host.contains("*"), let (n, ns) = HostNames.service(other.host, from: other.namespace) else { return false }
            return n == svc.name && ns == svc.namespace && other.tlsModes.contains { $0.mode != "ISTIO_MUTUAL" }
        }
    }

    /// Services some VirtualService, Ingress or HTTPRoute sends traffic to.
    static func routedServices(_ s: ClusterSnapshot) -> [Service] {
        var refs: [(String, String)] = []
        for vs in s.virtualServices { for d in vs.destinations { if let r = s.serviceName(d.host, from: vs.namespace) { refs.append(r) } } }
        for ing in s.ingresses { for b in ing.backends { refs.append((b.service, ing.namespace)) } }
        for r in s.httpRoutes { for b in r.backendRefs where b.kind == "Service" { refs.append((b.name, b.namespace)) } }
        return s.services.filter { svc in refs.contains { $0.0 == svc.name && $0.1 == svc.namespace } }
    }

    static let prometheusPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: prometheus-7d9c8b5f6-xyz12
          namespace: istio-system
          labels: {app: prometheus}
          annotations: {sidecar.istio.io/inject: "false"}
        spec:
          containers: [{name: prometheus, image: prom/prometheus:v2.42.0}]
        """
    static let meshWide = """
        apiVersion: networking.istio.io/v1alpha3
        kind: DestinationRule
        metadata: {name: default, namespace: istio-system}
        spec:
          host: "*.local"
          trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
        """
    static let vs = RoutingExamples.virtualService(namespace: "istio-system", """
          hosts: ["*"]
          gateways: [prometheus-gateway]
          http:
          - route: [{destination: {host: prometheus, port: {number: 9090}}}]
        """)

    public static var examples: [CheckExample] {
        [
            CheckExample("mesh-wide ISTIO_MUTUAL, Prometheus without sidecar", raises: ["PH0309"],
                         yaml: RoutingExamples.join(RoutingExamples.prometheus, prometheusPod, meshWide, vs)),
            CheckExample("the DISABLE rule for prometheus is in place", raises: [],
                         yaml: RoutingExamples.join(RoutingExamples.prometheus, prometheusPod, meshWide, vs, """
                            apiVersion: networking.istio.io/v1alpha3
                            kind: DestinationRule
                            metadata: {name: prometheus, namespace: istio-system}
                            spec:
                              host: prometheus.istio-system.svc.cluster.local
                              trafficPolicy: {tls: {mode: DISABLE}}
                            """)),
            CheckExample("no DestinationRule", raises: [], yaml: RoutingExamples.join(RoutingExamples.prometheus, prometheusPod, vs)),
        ]
    }
}
