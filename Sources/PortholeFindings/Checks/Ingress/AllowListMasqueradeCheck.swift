import Foundation
import PortholeKube

extension FindingDefinition {
    static let allowListOnMasqueradedClientAddress = FindingDefinition(
        code: "PH0704", level: .warning, title: "AllowListOnMasqueradedClientAddress",
        template: "{ingress} admits only {ranges} ({annotation}), but the ingress-nginx controller's {service} has externalTrafficPolicy Cluster: nginx sees a node's address, never the client's, so {effect}",
        cause: "With externalTrafficPolicy Cluster, kube-proxy masquerades outside connections to the address of the node that received them before they reach the controller pod; nginx compares that address with the allow-list, so it admits or denies every outside client alike.",
        fix: "set spec.externalTrafficPolicy: Local on {service} (nginx then sees client addresses; only nodes running a controller pod answer), in the Helm values when Helm owns it (controller.service.externalTrafficPolicy), or filter at the provider's firewall or load balancer instead")
}

/// An ingress-nginx allow-list (`allowlist-source-range`, formerly `whitelist-source-range`) on an Ingress whose
/// controller Service masquerades client addresses (externalTrafficPolicy Cluster): it cannot tell clients apart.
public enum AllowListMasqueradeCheck: FindingCheck {
    public static let id = "allow-list-on-masqueraded-client-address"
    public static var definitions: [FindingDefinition] { [.allowListOnMasqueradedClientAddress] }

    /// The annotation names, newer first: ingress-nginx reads the newer one and still honours the older.
    static let annotations = ["nginx.ingress.kubernetes.io/allowlist-source-range", "nginx.ingress.kubernetes.io/whitelist-source-range"]

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        // A host-network controller, or one told the client address by the load balancer (PROXY protocol or
        // X-Forwarded-For from a trusted proxy), sees real clients.
        guard !s.ingressNginxPods.contains(where: \.hostNetwork),
              let svc = s.ingressNginxServices.first(where: { $0.exposesNodePorts && $0.externalTrafficPolicy == "Cluster" }),
              !s.configMaps.contains(where: { cm in
                  cm.namespace == svc.namespace && (cm.data["use-proxy-protocol"] == "true" || cm.data["use-forwarded-headers"] == "true")
              }) else { return [] }
        let otherClasses = Set(s.ingressClasses.filter { $0.controller != "k8s.io/ingress-nginx" }.map(\.name))
        var out: [Finding] = []
        for ing in s.ingresses where !(ing.className.map(otherClasses.contains) ?? false) {
            guard let annotation = annotations.first(where: { ing.object.annotations[$0] != nil }) else { continue }
            let ranges = (ing.object.annotations[annotation] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !ranges.isEmpty else { continue }
            out.append(FindingDefinition.allowListOnMasqueradedClientAddress.make(ing.reference, field: "metadata.annotations", [
                "ingress": .object(ing.reference), "ranges": .list(ranges), "annotation": .value(annotation),
                "service": .object(svc.reference), "effect": .value(effect(ranges, nodes: s.nodeAddresses)),
            ]))
        }
        return out
    }

    /// What the allow-list does when every client arrives with a node's address.
    static func effect(_ ranges: [String], nodes: [String]) -> String {
        guard !nodes.isEmpty else { return "it admits every outside client if it holds the nodes' addresses, and none otherwise" }
        let admitted = nodes.contains { ip in ranges.contains { IPv4.cidr($0.contains("/") ? $0 : "\($0)/32")?.contains(ip) ?? false } }
        return admitted ? "it admits every outside client (the nodes' addresses are in it)" : "it answers 403 to every outside client, you included"
    }

    static func objects(policy: String? = nil, annotation: String? = "nginx.ingress.kubernetes.io/allowlist-source-range") -> String {
        let service = IngressExamples.controllerService("NodePort")
            .replacingOccurrences(of: "type: NodePort", with: "type: NodePort" + (policy.map { "\n  externalTrafficPolicy: \($0)" } ?? ""))
        let annotations = annotation.map { "{\($0): 198.51.100.7/32}" } ?? "{}"
        return IngressExamples.join(IngressExamples.controller(), service, IngressExamples.nginxClass,
                                    IngressExamples.ingress(namespace: "monitoring", annotations: annotations))
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("allowlist-source-range with externalTrafficPolicy Cluster (the default)", raises: ["PH0704"], yaml: objects()),
            CheckExample("the older whitelist-source-range name, Cluster written out", raises: ["PH0704"],
                         yaml: objects(policy: "Cluster", annotation: "nginx.ingress.kubernetes.io/whitelist-source-range")),
            CheckExample("the same allow-list with externalTrafficPolicy Local", raises: [], yaml: objects(policy: "Local")),
            CheckExample("no allow-list", raises: [], yaml: objects(annotation: nil)),
        ]
    }
}
