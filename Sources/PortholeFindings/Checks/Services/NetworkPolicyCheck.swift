import Foundation
import PortholeKube

extension FindingDefinition {
    static let networkPolicyBlocksWayIn = FindingDefinition(
        code: "PH0110", level: .warning, title: "NetworkPolicyBlocksWayIn",
        template: "{policies} isolate Prometheus pod {pod} and no ingress rule admits {blocked} on port {port}: that way in times out",
        cause: "A pod selected by a NetworkPolicy of type Ingress accepts only what one of the policies' ingress rules admits. Connections from the gateway's or the ingress controller's pods need a rule whose namespaceSelector/podSelector matches them; connections through a nodePort or a load balancer arrive from a node's or the client's address and need an ipBlock (or a rule without `from`). The network plugin drops the rest, so clients time out and Envoy answers 503/504 after its connect timeout.",
        fix: "add an ingress rule to a policy selecting {pod}, e.g. from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: {gatewayNamespace}}}}] with ports: [{port: {port}}] for the gateway, or an ipBlock for nodePort/load-balancer traffic")
}

/// NetworkPolicies that shut Prometheus off from the ways in the cluster offers (read live).
public enum NetworkPolicyCheck: FindingCheck {
    public static let id = "network-policy-blocks-way-in"
    public static var definitions: [FindingDefinition] { [.networkPolicyBlocksWayIn] }

    /// The ways in this cluster has, each with a pod that would connect to Prometheus (nil: from outside).
    static func waysIn(_ s: ClusterSnapshot) -> [(name: String, pod: Pod?)] {
        var out: [(String, Pod?)] = [("nodePort and load-balancer traffic", nil)]
        for svc in s.ingressGatewayServices { if let p = s.pods(selectedBy: svc).first { out.append(("the Istio gateway \(p.namespace)/\(p.name)", p)) } }
        if let p = s.ingressNginxPods.first { out.append(("the ingress-nginx controller \(p.namespace)/\(p.name)", p)) }
        if let p = s.pods.first(where: { $0.labels["gateway.networking.k8s.io/gateway-name"] != nil }) {
            out.append(("the Gateway API gateway \(p.namespace)/\(p.name)", p))
        }
        return out
    }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.isLive, s.knows(.pod), s.knows(.networkPolicy) else { return [] }
        let policies = s.networkPolicies.filter(\.isolatesIngress)
        guard !policies.isEmpty else { return [] }
        let nsLabels = Dictionary(s.namespaces.map { ns -> (String, [String: String]) in
            var l = ns.labels
            l["kubernetes.io/metadata.name"] = l["kubernetes.io/metadata.name"] ?? ns.name  // set by the API server since 1.21
            return (ns.name, l)
        }) { a, _ in a }
        var out: [Finding] = []
        var seen = Set<String>()
        for svc in PrometheusTargets.candidates(s) {
            guard let pod = s.pods(selectedBy: svc).first, seen.insert("\(pod.namespace)/\(pod.name)").inserted else { continue }
            let isolating = policies.filter { $0.selects(pod) }
            guard !isolating.isEmpty else { continue }
            let port = PrometheusListen.of(containers: pod.containers)?.port ?? PrometheusTargets.uiPort(svc)?.targetNumber ?? 9090
            let portName = pod.containers.flatMap { $0["ports"]?.arrayValue ?? [] }.first { $0["containerPort"]?.intValue == port }?["name"]?.stringValue
            let blocked = waysIn(s).filter { way in
                let peer: NetworkPeer = way.pod.map { .pod($0, namespaceLabels: nsLabels[$0.namespace] ?? ["kubernetes.io/metadata.name": $0.namespace]) } ?? .outside
                return !isolating.contains { np in
                    np.ingressRules.contains { peer.admitted(by: $0, policyNamespace: np.namespace, port: port, portName: portName) }
                }
            }
            guard !blocked.isEmpty else { continue }
            let gatewayNamespace = blocked.compactMap(\.pod?.namespace).first ?? "istio-system"
            out.append(FindingDefinition.networkPolicyBlocksWayIn.make(isolating[0].object.reference, field: "spec.ingress", [
                "policies": .value(isolating.map { "networkpolicy \($0.namespace)/\($0.name)" }.joined(separator: ", ")),
                "pod": .value("\(pod.namespace)/\(pod.name)"), "blocked": .value(blocked.map(\.name).joined(separator: " or ")),
                "port": .port(port), "gatewayNamespace": .value(gatewayNamespace),
            ]))
        }
        return out
    }

    static let prometheus = """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: monitoring}
        spec:
          selector: {app: prometheus}
          ports: [{name: http, port: 9090}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: prometheus-0, namespace: monitoring, labels: {app: prometheus}}
        spec:
          containers: [{name: prometheus, image: prom/prometheus:v2.42.0, ports: [{name: web, containerPort: 9090}]}]
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: monitoring}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: istio-system}
        """

    static func policy(_ ingress: String) -> String {
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: lockdown, namespace: monitoring}
        spec:
          podSelector: {}
          policyTypes: [Ingress]
          ingress: \(ingress)
        """
    }

    public static var examples: [CheckExample] {
        let base = RoutingExamples.join(prometheus, GatewayExamples.ingressService, GatewayExamples.ingressPod)
        return [
            CheckExample("default deny in Prometheus's namespace", raises: ["PH0110"], live: true, yaml: RoutingExamples.join(base, policy("[]"))),
            CheckExample("only the namespace itself is admitted", raises: ["PH0110"], live: true,
                         yaml: RoutingExamples.join(base, policy("[{from: [{podSelector: {}}]}]"))),
            CheckExample("the gateway's namespace and an ipBlock on the web port", raises: [], live: true,
                         yaml: RoutingExamples.join(base, policy("[{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: istio-system}}}, {ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: web}]}]"))),
            CheckExample("no NetworkPolicy", raises: [], live: true, yaml: base),
        ]
    }
}
