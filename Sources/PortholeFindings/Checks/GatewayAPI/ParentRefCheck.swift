import Foundation
import PortholeKube

extension FindingDefinition {
    static let parentGatewayNotFound = FindingDefinition(
        code: "PH0606", level: .error, title: "RouteParentGatewayNotFound",
        template: "{route} field spec.parentRefs[{index}] names gateway {parent}{section}, which does not exist{hint}",
        cause: "A route attaches only to an existing Gateway (and listener, with sectionName); parentRefs without a namespace mean the route's own namespace.",
        fix: "point spec.parentRefs[{index}] at an existing Gateway with its namespace (kubectl get gateways.gateway.networking.k8s.io -A)")
}

/// HTTPRoutes whose parent Gateway (or listener) does not exist.
public enum ParentRefCheck: FindingCheck {
    public static let id = "route-parent-not-found"
    public static var definitions: [FindingDefinition] { [.parentGatewayNotFound] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.isLive || !s.apiGateways.isEmpty else { return [] }
        var out: [Finding] = []
        for route in s.httpRoutes {
            for ref in route.parentRefs {
                let gw = s.apiGateways.first { $0.name == ref.name && $0.namespace == ref.namespace }
                var section = "", hint = ""
                if let gw {
                    guard let name = ref.sectionName, !gw.listeners.contains(where: { $0.name == name }) else { continue }
                    section = " listener \(name)"
                    hint = " (listeners: \(gw.listeners.map(\.name).joined(separator: ", ")))"
                } else if let other = s.apiGateways.first(where: { $0.name == ref.name }) {
                    hint = "; a Gateway \(ref.name) exists in \(other.namespace): write namespace: \(other.namespace)"
                }
                out.append(FindingDefinition.parentGatewayNotFound.make(route.reference, field: "spec.parentRefs[\(ref.index)]", [
                    "route": .object(route.reference), "index": .count(ref.index), "parent": .value("\(ref.namespace)/\(ref.name)"),
                    "section": .value(section), "hint": .value(hint),
                ]))
            }
        }
        return out
    }

    public static var examples: [CheckExample] {
        let route = GatewayAPIExamples.route(namespace: "istio-system")
        return [
            CheckExample("parentRef without namespace, Gateway elsewhere", raises: ["PH0606"], yaml: GatewayAPIExamples.join(
                GatewayAPIExamples.gateway(from: "All"), route.replacingOccurrences(of: "{name: web, namespace: istio-ingress}", with: "{name: web}"))),
            CheckExample("unknown sectionName", raises: ["PH0606"], yaml: GatewayAPIExamples.join(
                GatewayAPIExamples.gateway(from: "All"), route.replacingOccurrences(of: "{name: web, namespace: istio-ingress}", with: "{name: web, namespace: istio-ingress, sectionName: https}"))),
            CheckExample("existing Gateway and listener", raises: [], yaml: GatewayAPIExamples.join(
                GatewayAPIExamples.gateway(from: "All"), route.replacingOccurrences(of: "{name: web, namespace: istio-ingress}", with: "{name: web, namespace: istio-ingress, sectionName: http}"))),
        ]
    }
}
