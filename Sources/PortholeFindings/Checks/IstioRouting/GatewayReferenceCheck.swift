import Foundation
import PortholeKube

extension FindingDefinition {
    static let gatewayReferenceOtherNamespace = FindingDefinition(
        code: "PH0303", level: .error, title: "GatewayReferenceWithoutNamespace",
        template: "{virtualService} field {field} = {ref} means gateway {resolved}, which does not exist; a Gateway {name} exists in {namespaces}",
        cause: "A gateways: entry without a namespace names a Gateway in the VirtualService's own namespace; the VirtualService is bound to nothing.",
        fix: "write the namespace: gateways: [{qualified}]")
    static let gatewayReferenceNotFound = FindingDefinition(
        code: "PH0306", level: .error, title: "GatewayReferenceNotFound",
        template: "{virtualService} field {field} = {ref} names gateway {resolved}, which exists in no namespace",
        cause: "A VirtualService bound to a Gateway that does not exist is applied by no gateway.",
        fix: "create the Gateway {resolved}, or refer to an existing one as <namespace>/<name> (kubectl get gateways.networking.istio.io -A)")
}

/// `gateways:` entries that name no Gateway.
public enum GatewayReferenceCheck: FindingCheck {
    public static let id = "gateway-reference"
    public static var definitions: [FindingDefinition] { [.gatewayReferenceOtherNamespace, .gatewayReferenceNotFound] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.knows(.istioGateway) || s.isLive else { return [] }
        var out: [Finding] = []
        for vs in s.virtualServices {
            for (i, ref) in vs.gateways.enumerated() where ref != "mesh" {
                let (ns, name) = GatewayReferenceCheck.split(ref, default: vs.namespace)
                if s.istioGateways.contains(where: { $0.name == name && $0.namespace == ns }) { continue }
                let field = "spec.gateways[\(i)]"
                let elsewhere = s.istioGateways.filter { $0.name == name }.map(\.namespace).sorted()
                let args: [String: FindingArgument] = [
                    "virtualService": .object(vs.reference), "field": .field(field), "ref": .value(ref),
                    "resolved": .value("\(ns)/\(name)"), "name": .value(name), "namespaces": .list(elsewhere),
                    "qualified": .value("\(elsewhere.first ?? ns)/\(name)"),
                ]
                if !elsewhere.isEmpty {
                    out.append(FindingDefinition.gatewayReferenceOtherNamespace.make(vs.reference, field: field, args))
                } else if s.isLive {
                    out.append(FindingDefinition.gatewayReferenceNotFound.make(vs.reference, field: field, args))
                }
            }
        }
        return out
    }

    /// `ns/name` or a bare name in `default`.
    static func split(_ ref: String, default ns: String) -> (String, String) {
        let parts = ref.split(separator: "/", maxSplits: 1).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : (ns, ref)
    }

    static func vs(namespace: String, gateways: String) -> String {
        RoutingExamples.virtualService(namespace: namespace, """
              hosts: ["*"]
              gateways: [\(gateways)]
              http:
              - route: [{destination: {host: prometheus.istio-system.svc.cluster.local, port: {number: 9090}}}]
            """)
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("bare name from default, Gateway in istio-system", raises: ["PH0303"],
                         yaml: RoutingExamples.join(RoutingExamples.gateway, vs(namespace: "default", gateways: "prometheus-gateway"))),
            CheckExample("Gateway that exists nowhere (live)", raises: ["PH0306"], live: true,
                         yaml: RoutingExamples.join(RoutingExamples.gateway, vs(namespace: "default", gateways: "istio-system/prom-gw"))),
            CheckExample("qualified reference", raises: [],
                         yaml: RoutingExamples.join(RoutingExamples.gateway, vs(namespace: "default", gateways: "istio-system/prometheus-gateway"))),
            CheckExample("bare name in the Gateway's namespace, plus mesh", raises: [],
                         yaml: RoutingExamples.join(RoutingExamples.gateway, vs(namespace: "istio-system", gateways: "prometheus-gateway, mesh"))),
        ]
    }
}
