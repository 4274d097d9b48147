import Foundation
import PortholeKube

extension FindingDefinition {
    static let meshedControllerWithoutServiceUpstream = FindingDefinition(
        code: "PH0507", level: .warning, title: "MeshedIngressControllerWithoutServiceUpstream",
        template: "{ingress} sends to meshed {service} through an ingress-nginx controller with a sidecar, but without nginx.ingress.kubernetes.io/service-upstream: \"true\": nginx dials pod IPs, so its sidecar cannot apply the mesh's routing and mTLS",
        cause: "ingress-nginx balances over pod endpoints itself; its sidecar then sees connections to pod IPs with the outside Host header and passes them through in plain text instead of treating them as traffic to the Service.",
        fix: "annotate the Ingress: nginx.ingress.kubernetes.io/service-upstream: \"true\" and nginx.ingress.kubernetes.io/upstream-vhost: {host}")
}

/// A meshed ingress-nginx controller that still dials pod IPs (no service-upstream).
public enum MeshedControllerUpstreamCheck: FindingCheck {
    public static let id = "meshed-controller-without-service-upstream"
    public static var definitions: [FindingDefinition] { [.meshedControllerWithoutServiceUpstream] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.ingressNginxPods.contains(where: \.hasSidecar) else { return [] }
        var out: [Finding] = []
        for ing in s.ingresses where ing.object.annotations["nginx.ingress.kubernetes.io/service-upstream"] != "true" {
            for b in ing.backends {
                guard let svc = s.service(b.service, in: ing.namespace), s.pods(selectedBy: svc).contains(where: \.hasSidecar) else { continue }
                out.append(FindingDefinition.meshedControllerWithoutServiceUpstream.make(ing.reference, field: "metadata.annotations", [
                    "ingress": .object(ing.reference), "service": .object(svc.reference),
                    "host": .host("\(svc.name).\(svc.namespace).svc.cluster.local"),
                ]))
                break
            }
        }
        return out
    }

    static func objects(annotations: String) -> String {
        IngressExamples.join(IngressExamples.controller(sidecar: true), IngressExamples.ingress(namespace: "monitoring", annotations: annotations),
                             IngressExamples.meshedPrometheus)
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("meshed controller dialing pod IPs", raises: ["PH0507"], yaml: objects(annotations: "{}")),
            CheckExample("service-upstream set", raises: [], yaml: objects(annotations: """
                {nginx.ingress.kubernetes.io/service-upstream: "true", nginx.ingress.kubernetes.io/upstream-vhost: prometheus.monitoring.svc.cluster.local}
                """)),
        ]
    }
}
