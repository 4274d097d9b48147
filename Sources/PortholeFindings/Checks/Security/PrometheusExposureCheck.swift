import Foundation
import PortholeKube

extension FindingDefinition {
    static let prometheusExposedUnrestricted = FindingDefinition(
        code: "PH0701", level: .warning, title: "PrometheusExposedWithoutRestriction",
        template: "{object} opens {prometheus} to outside networks ({path}) with no restriction in the cluster: Prometheus has no authentication and its API reveals much of the cluster",
        cause: "Prometheus serves its UI and API to anyone who reaches it; every path from outside needs a restriction (source addresses, authentication, or a firewall rule).",
        fix: "{restrict}")
}

/// Paths that open Prometheus to outside networks with nothing in the cluster restricting them.
///
/// A firewall or cloud security group is invisible from the cluster; the message says so.
public enum PrometheusExposureCheck: FindingCheck {
    public static let id = "prometheus-exposed-without-restriction"
    public static var definitions: [FindingDefinition] { [.prometheusExposedUnrestricted] }

    static let authAnnotations = ["auth-type", "auth-url", "whitelist-source-range", "allowlist-source-range", "auth-tls-secret", "denylist-source-range"]
        .map { "nginx.ingress.kubernetes.io/\($0)" }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let proms = s.services.filter(PrometheusTargets.isPrometheus)
        guard !proms.isEmpty else { return [] }
        let restrictAdvice = "restrict it: an AuthorizationPolicy on the gateway allowing only your address (rules.from.source.remoteIpBlocks), TLS + basic auth at the ingress (nginx.ingress.kubernetes.io/auth-type: basic), loadBalancerSourceRanges on a Service, or a firewall rule limited to your address (invisible to porthole: suppress this finding with a reason if you have one)"
        var out: [Finding] = []
        func raise(_ obj: ObjectReference, _ prom: Service, _ path: String) {
            let target: FindingArgument = obj == prom.reference ? .value("itself") : .object(prom.reference)
            out.append(FindingDefinition.prometheusExposedUnrestricted.make(obj, [
                "object": .object(obj), "prometheus": target, "path": .value(path), "restrict": .value(restrictAdvice),
            ]))
        }
        for prom in proms where prom.exposesNodePorts && prom.loadBalancerSourceRanges.isEmpty {
            raise(prom.reference, prom, "spec.type \(prom.type)")
        }
        for vs in s.virtualServices {
            let gateways = vs.gateways.filter { $0 != "mesh" }
            guard !gateways.isEmpty else { continue }
            for d in vs.destinations {
                guard let (n, ns) = HostNames.service(d.host, from: vs.namespace), let prom = proms.first(where: { $0.name == n && $0.namespace == ns }) else { continue }
                let restricted = gateways.contains { ref in
                    let (gns, gname) = GatewayReferenceCheck.split(ref, default: vs.namespace)
                    guard let gw = s.istioGateways.first(where: { $0.name == gname && $0.namespace == gns }) else { return false }
                    return gatewayRestricted(gw, prom, s, scope)
                }
                if !restricted { raise(vs.reference, prom, "gateways \(gateways.joined(separator: ", "))") ; break }
            }
        }
        for ing in s.ingresses where !authAnnotations.contains(where: { ing.object.annotations[$0] != nil }) {
            if let prom = proms.first(where: { p in p.namespace == ing.namespace && ing.backends.contains { $0.service == p.name } }) {
                raise(ing.reference, prom, "Ingress class \(ing.className ?? "default")")
            }
        }
        for route in s.httpRoutes where !route.rejectedByEveryParent {
            guard let prom = proms.first(where: { p in route.backendRefs.contains { $0.name == p.name && $0.namespace == p.namespace } }) else { continue }
            let restricted = s.authorizationPolicies.contains { ap in
                ap.restrictsSources && (route.parentRefs.contains { $0.namespace == ap.namespace } || ap.namespace == scope.istioRootNamespace)
            }
            if !restricted { raise(route.reference, prom, "parentRefs \(route.parentRefs.map { "\($0.namespace)/\($0.name)" }.joined(separator: ", "))") }
        }
        return out
    }

    /// An AuthorizationPolicy restricting sources on the gateway pods (or mesh-wide), or on Prometheus itself.
    static func gatewayRestricted(_ gw: IstioGateway, _ prom: Service, _ s: ClusterSnapshot, _ scope: CheckScope) -> Bool {
        let gwPods = s.gatewayPods(gw)
        let gwNamespaces = Set(gwPods.map(\.namespace) + [gw.namespace])
        return s.authorizationPolicies.contains { ap in
            guard ap.restrictsSources else { return false }
            if ap.namespace == scope.istioRootNamespace && ap.selector == nil { return true }
            if ap.namespace == prom.namespace && (ap.selector.map { LabelSelector.matches($0, prom.selector) } ?? true) { return true }
            guard gwNamespaces.contains(ap.namespace) else { return false }
            guard let sel = ap.selector else { return true }
            return LabelSelector.matches(sel, gw.selector) || gwPods.contains { LabelSelector.matches(sel, $0.labels) }
        }
    }

    static let exposed = """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: istio-system, labels: {app: prometheus}}
        spec:
          selector: {app: prometheus}
          ports: [{name: http-prometheus, port: 9090, targetPort: 9090}]
        ---
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
        metadata: {name: prometheus, namespace: istio-system}
        spec:
          hosts: ["*"]
          gateways: [prometheus-gateway]
          http:
          - route: [{destination: {host: prometheus.istio-system.svc.cluster.local, port: {number: 9090}}}]
        """
    static let policy = """
        apiVersion: security.istio.io/v1beta1
        kind: AuthorizationPolicy
        metadata: {name: prometheus-from-admin, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          action: ALLOW
          rules:
          - from: [{source: {remoteIpBlocks: [198.51.100.7/32]}}]
            to: [{operation: {ports: ["9090"]}}]
        """

    static let rejected = """
        status:
          parents:
          - parentRef: {name: web, namespace: istio-ingress}
            controllerName: istio.io/gateway-controller
            conditions:
            - {type: Accepted, status: "False", reason: NoMatchingListenerHostname}
        """

    public static var examples: [CheckExample] {
        [
            CheckExample("Gateway + VirtualService with no policy", raises: ["PH0701"], yaml: exposed),
            CheckExample("NodePort Prometheus", raises: ["PH0701"], yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: prometheus, namespace: monitoring}
                spec:
                  type: NodePort
                  selector: {app: prometheus}
                  ports: [{port: 9090, nodePort: 30090}]
                """),
            CheckExample("restricted by source IP on the gateway", raises: [], yaml: exposed + "\n---\n" + policy),
            CheckExample("Ingress with basic auth", raises: [], yaml: RoutingExamples.monitoringPrometheus + "\n---\n" + IngressExamples.ingress(namespace: "monitoring", annotations: "{nginx.ingress.kubernetes.io/auth-type: basic, nginx.ingress.kubernetes.io/auth-secret: prometheus-basic-auth}")),
            CheckExample("an HTTPRoute to Prometheus", raises: ["PH0701"],
                         yaml: GatewayAPIExamples.join(RoutingExamples.prometheus, GatewayAPIExamples.gateway(from: "All"), GatewayAPIExamples.route(namespace: "istio-system"))),
            CheckExample("an HTTPRoute that no parent accepted serves nothing", raises: [],
                         yaml: GatewayAPIExamples.join(RoutingExamples.prometheus, GatewayAPIExamples.gateway(from: "All"),
                                                       GatewayAPIExamples.route(namespace: "istio-system", status: rejected))),
            CheckExample("ClusterIP Prometheus, no route", raises: [], yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: prometheus, namespace: istio-system}
                spec:
                  selector: {app: prometheus}
                  ports: [{port: 9090}]
                """),
        ]
    }
}
