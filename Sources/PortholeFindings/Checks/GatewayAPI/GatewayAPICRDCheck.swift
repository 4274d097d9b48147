import Foundation
import PortholeKube

extension FindingDefinition {
    static let gatewayAPICRDsMissing = FindingDefinition(
        code: "PH0601", level: .error, title: "GatewayAPICRDsMissing",
        template: "{object} is a Gateway API {kind}, but the cluster does not serve gateway.networking.k8s.io: the CRDs are not installed",
        cause: "Gateway API resources exist only once their CustomResourceDefinitions are installed; Istio then programs Gateways of class istio.",
        fix: "install the standard channel CRDs: kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/standard-install.yaml")
}

/// Gateway API objects on a cluster that does not serve the API.
public enum GatewayAPICRDCheck: FindingCheck {
    public static let id = "gateway-api-crds-missing"
    public static var definitions: [FindingDefinition] { [.gatewayAPICRDsMissing] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for kind in [KindKey.apiGateway, .httpRoute, .referenceGrant, .gatewayClass] where s.servedKinds != nil && s.serves(kind) == false {
            for obj in s.items(kind).map(KubeObject.init) {
                out.append(FindingDefinition.gatewayAPICRDsMissing.make(obj.reference, ["object": .object(obj.reference), "kind": .value(kind.kind)]))
            }
        }
        return out
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("HTTPRoute on a cluster without the CRDs", raises: ["PH0601"], served: [.service, .pod],
                         yaml: GatewayAPIExamples.route(namespace: "istio-ingress")),
            CheckExample("HTTPRoute with the CRDs served", raises: [], served: [.service, .pod, .apiGateway, .httpRoute],
                         yaml: GatewayAPIExamples.route(namespace: "istio-ingress")),
        ]
    }
}
