import Foundation
import PortholeKube

extension FindingDefinition {
    static let ingressControllerNotReachable = FindingDefinition(
        code: "PH0503", level: .error, title: "IngressControllerNotReachable",
        template: "{service} of the ingress-nginx controller is type {type}: nothing outside the cluster reaches the controller",
        cause: "An Ingress only configures the controller; outside traffic must reach the controller itself through a NodePort, a load-balancer address or host networking.",
        fix: "kubectl -n {namespace} patch service {name} -p '{\"spec\":{\"type\":\"NodePort\"}}' (or LoadBalancer with a working controller), or set the Helm value controller.service.type")
}

/// The ingress-nginx controller's Service is ClusterIP only.
public enum IngressControllerReachabilityCheck: FindingCheck {
    public static let id = "ingress-controller-not-reachable"
    public static var definitions: [FindingDefinition] { [.ingressControllerNotReachable] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        if s.ingressNginxPods.contains(where: \.hostNetwork) { return [] }
        let services = s.ingressNginxServices
        guard !services.isEmpty, !services.contains(where: \.exposesNodePorts) else { return [] }
        let svc = services[0]
        return [FindingDefinition.ingressControllerNotReachable.make(svc.reference, field: "spec.type", [
            "service": .object(svc.reference), "type": .value(svc.type), "namespace": .value(svc.namespace), "name": .value(svc.name),
        ])]
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("ClusterIP controller Service", raises: ["PH0503"], yaml: IngressExamples.join(IngressExamples.controller(), IngressExamples.controllerService("ClusterIP"))),
            CheckExample("NodePort controller Service", raises: [], yaml: IngressExamples.join(IngressExamples.controller(), IngressExamples.controllerService("NodePort"))),
        ]
    }
}
