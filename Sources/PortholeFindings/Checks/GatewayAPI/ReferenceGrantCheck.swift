import Foundation
import PortholeKube

extension FindingDefinition {
    static let backendRefWithoutGrant = FindingDefinition(
        code: "PH0603", level: .error, title: "CrossNamespaceBackendWithoutReferenceGrant",
        template: "{route} field {field} refers to Service {backend} in another namespace, and no ReferenceGrant in {backendNamespace} permits it",
        cause: "A backendRef into another namespace is honoured only when a ReferenceGrant in the target namespace allows HTTPRoutes from the route's namespace (ResolvedRefs=False, RefNotPermitted).",
        fix: "create a ReferenceGrant in {backendNamespace}: from [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: {namespace}}], to [{group: \"\", kind: Service, name: {name}}]")
}

/// Cross-namespace backendRefs with no ReferenceGrant.
public enum ReferenceGrantCheck: FindingCheck {
    public static let id = "backendref-without-referencegrant"
    public static var definitions: [FindingDefinition] { [.backendRefWithoutGrant] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.isLive || s.knows(.referenceGrant) || !s.httpRoutes.isEmpty else { return [] }
        var out: [Finding] = []
        for route in s.httpRoutes {
            for b in route.backendRefs where b.namespace != route.namespace {
                let permitted = s.referenceGrants.contains {
                    $0.namespace == b.namespace && $0.permits(fromKind: "HTTPRoute", fromNamespace: route.namespace, toKind: b.kind, toName: b.name)
                }
                if permitted { continue }
                out.append(FindingDefinition.backendRefWithoutGrant.make(route.reference, field: b.field, [
                    "route": .object(route.reference), "field": .field(b.field), "backend": .value("\(b.namespace)/\(b.name)"),
                    "backendNamespace": .value(b.namespace), "namespace": .value(route.namespace), "name": .value(b.name),
                ]))
            }
        }
        return out
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("backend in istio-system without grant", raises: ["PH0603"],
                         yaml: GatewayAPIExamples.route(namespace: "istio-ingress", backendNamespace: "istio-system")),
            CheckExample("with a ReferenceGrant", raises: [], yaml: GatewayAPIExamples.join(
                GatewayAPIExamples.route(namespace: "istio-ingress", backendNamespace: "istio-system"), GatewayAPIExamples.grant(fromNamespace: "istio-ingress"))),
            CheckExample("grant for another namespace", raises: ["PH0603"], yaml: GatewayAPIExamples.join(
                GatewayAPIExamples.route(namespace: "istio-ingress", backendNamespace: "istio-system"), GatewayAPIExamples.grant(fromNamespace: "default"))),
        ]
    }
}
