import Foundation
import PortholeKube

extension FindingDefinition {
    static let gatewayAPIConditionFalse = FindingDefinition(
        code: "PH0604", level: .error, title: "GatewayAPIConditionFalse",
        template: "{object} {field}: {type} is not True (reason {reason}): {detail}",
        cause: "The Gateway API controller reports in status conditions whether it accepted, resolved and programmed the object.",
        fix: "{advice}")
}

/// Gateway API status conditions that the controller reports as not True.
public enum GatewayAPIStatusCheck: FindingCheck {
    public static let id = "gateway-api-condition-false"
    public static var definitions: [FindingDefinition] { [.gatewayAPIConditionFalse] }

    static func advice(_ type: String, _ reason: String) -> String {
        switch (type, reason) {
        case (_, "RefNotPermitted"): return "add a ReferenceGrant in the backend's namespace (see PH0603)"
        case (_, "NotAllowedByListeners"): return "allow the route's namespace in the listener's allowedRoutes (see PH0602)"
        case (_, "NoMatchingListenerHostname"): return "make the route's hostnames intersect the listener's hostname (see PH0608)"
        case (_, "BackendNotFound"): return "point backendRefs at an existing Service and port (kubectl get svc -n <namespace>)"
        case ("Programmed", _): return "check the Gateway's generated Service and address: kubectl get svc -l gateway.networking.k8s.io/gateway-name (on bare metal annotate the Gateway networking.istio.io/service-type: NodePort)"
        case ("Accepted", _): return "check spec.gatewayClassName and parentRefs (kubectl get gatewayclass; kubectl describe the object)"
        case ("ResolvedRefs", _): return "check every backendRef names an existing Service port"
        default: return "kubectl describe the object and fix what the condition message names"
        }
    }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        // A Gateway of a class that does not exist waits for a controller forever: PH0607 says why, once.
        let classless = Set(GatewayClassCheck.classless(s).map(\.reference))
        let gateways = s.apiGateways.filter { !classless.contains($0.reference) }
        let objects: [(ObjectReference, [FalseCondition])] = gateways.map { ($0.reference, $0.falseConditions) } + s.httpRoutes.map { ($0.reference, $0.falseConditions) }
        return objects.flatMap { ref, conditions in
            conditions.map { c in
                FindingDefinition.gatewayAPIConditionFalse.make(ref, field: c.field, [
                    "object": .object(ref), "field": .field(c.field), "type": .value(c.type), "reason": .value(c.reason.isEmpty ? "none" : c.reason),
                    "detail": .value(c.message.isEmpty ? "(no message)" : c.message), "advice": .value(advice(c.type, c.reason)),
                ])
            }
        }
    }

    public static var examples: [CheckExample] {
        let refused = """
            status:
              parents:
              - parentRef: {name: web, namespace: istio-ingress}
                controllerName: istio.io/gateway-controller
                conditions:
                - {type: Accepted, status: "True", reason: Accepted}
                - {type: ResolvedRefs, status: "False", reason: RefNotPermitted, message: backendRef prometheus/istio-system not accessible}
            """
        let fine = refused.replacingOccurrences(of: "status: \"False\", reason: RefNotPermitted", with: "status: \"True\", reason: ResolvedRefs")
        return [
            CheckExample("ResolvedRefs False", raises: ["PH0604"], yaml: GatewayAPIExamples.route(namespace: "istio-ingress", backendNamespace: "istio-system", status: refused)),
            CheckExample("all conditions True", raises: [], yaml: GatewayAPIExamples.route(namespace: "istio-ingress", status: fine)),
        ]
    }
}
