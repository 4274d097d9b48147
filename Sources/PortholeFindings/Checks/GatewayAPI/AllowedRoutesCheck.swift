import Foundation
import PortholeKube

extension FindingDefinition {
    static let routeNotAllowed = FindingDefinition(
        code: "PH0602", level: .error, title: "RouteNotAllowedByListener",
        template: "{route} in namespace {namespace} attaches to {gateway}, whose listeners allow routes from {allowed} only",
        cause: "A listener accepts routes from its own namespace unless spec.listeners[].allowedRoutes.namespaces.from says All or a Selector that matches.",
        fix: "set allowedRoutes: {namespaces: {from: All}} (or a Selector matching {namespace}) on the listener, or create the HTTPRoute in {gatewayNamespace}")
}

/// HTTPRoutes attached across namespaces that no listener allows.
public enum AllowedRoutesCheck: FindingCheck {
    public static let id = "route-not-allowed"
    public static var definitions: [FindingDefinition] { [.routeNotAllowed] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for route in s.httpRoutes {
            for ref in route.parentRefs where ref.namespace != route.namespace {
                guard let gw = s.apiGateways.first(where: { $0.name == ref.name && $0.namespace == ref.namespace }) else { continue }
                let listeners = gw.listeners.filter { ref.sectionName == nil || $0.name == ref.sectionName }
                let nsLabels = s.namespace(route.namespace)?.labels
                let allowed = listeners.contains { l in
                    switch l.allowedFrom {
                    case "All": return true
                    case "Selector":
                        // Without the namespace's labels the check cannot judge: assume allowed.
                        guard let nsLabels else { return true }
                        return LabelSelector.matches(selector: l.allowedSelector, labels: nsLabels)
                    default: return false
                    }
                }
                if allowed || listeners.isEmpty { continue }
                let froms = Array(Set(listeners.map { $0.allowedFrom == "Same" ? "Same (\(gw.namespace))" : $0.allowedFrom })).sorted()
                out.append(FindingDefinition.routeNotAllowed.make(route.reference, field: "spec.parentRefs[\(ref.index)]", [
                    "route": .object(route.reference), "namespace": .value(route.namespace), "gateway": .object(gw.reference),
                    "allowed": .list(froms), "gatewayNamespace": .value(gw.namespace),
                ]))
            }
        }
        return out
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("route from istio-system, listener allows Same", raises: ["PH0602"],
                         yaml: GatewayAPIExamples.join(GatewayAPIExamples.gateway(), GatewayAPIExamples.route(namespace: "istio-system"))),
            CheckExample("listener allows All", raises: [],
                         yaml: GatewayAPIExamples.join(GatewayAPIExamples.gateway(from: "All"), GatewayAPIExamples.route(namespace: "istio-system"))),
        ]
    }
}
