import Foundation
import PortholeKube

extension FindingDefinition {
    static let internalLoadBalancer = FindingDefinition(
        code: "PH0111", level: .warning, title: "InternalLoadBalancer",
        template: "{service} asks its cloud for an internal load balancer ({annotation}): its address {address} answers only inside the provider's private network",
        cause: "Cloud providers read an annotation on a LoadBalancer Service to give it a private address in the VPC/VNet instead of a public one. Everything behind it then opens only from that network (a VPN, a peered network, a bastion), which is exactly 'the UI only opens from the internal network'.",
        fix: "for access from outside, remove {annotation} (the provider then allocates a public address: restrict it with spec.loadBalancerSourceRanges), or keep it internal and reach it through the VPN; a nodePort on a node's public address is the other way in")
}

/// LoadBalancer Services on the way in that a cloud annotation makes internal.
public enum InternalLoadBalancerCheck: FindingCheck {
    public static let id = "internal-load-balancer"
    public static var definitions: [FindingDefinition] { [.internalLoadBalancer] }

    /// Annotations that ask a provider for a private load balancer, with the value that means internal
    /// (nil: any value does, e.g. Tencent Cloud's subnet id).
    static let annotations: [(key: String, internal: String?)] = [
        ("service.beta.kubernetes.io/aws-load-balancer-internal", nil),
        ("service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"),
        ("service.beta.kubernetes.io/azure-load-balancer-internal", "true"),
        ("networking.gke.io/load-balancer-type", "internal"),
        ("cloud.google.com/load-balancer-type", "internal"),
        ("service.beta.kubernetes.io/oci-load-balancer-internal", "true"),
        ("service.beta.kubernetes.io/openstack-internal-load-balancer", "true"),
        ("service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type", "intranet"),
        ("service.kubernetes.io/qcloud-loadbalancer-internal-subnetid", nil),
    ]

    /// The annotation that makes `svc` internal, as `key: value`, if any.
    static func internalAnnotation(_ svc: Service) -> String? {
        for (key, wanted) in annotations {
            guard let v = svc.object.annotations[key] else { continue }
            let value = v.trimmingCharacters(in: .whitespaces)
            // AWS's legacy form also took "0.0.0.0/0"; "false" is the only value that does not mean internal.
            if wanted == nil ? (!value.isEmpty && value.lowercased() != "false") : value.lowercased() == wanted { return "\(key): \(v)" }
        }
        return nil
    }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let onPath = s.ingressGatewayServices + s.ingressNginxServices + PrometheusTargets.candidates(s)
        var seen = Set<String>()
        return onPath.filter { $0.type == "LoadBalancer" && seen.insert("\($0.namespace)/\($0.name)").inserted }.compactMap { svc in
            guard let annotation = internalAnnotation(svc) else { return nil }
            return FindingDefinition.internalLoadBalancer.make(svc.reference, field: "metadata.annotations", [
                "service": .object(svc.reference), "annotation": .value(annotation),
                "address": .value(svc.loadBalancerIngress.first ?? "(none yet)"),
            ])
        }
    }

    static func gateway(annotations: String) -> String {
        GatewayExamples.ingressService.replacingOccurrences(of: "  labels: {app: istio-ingressgateway, istio: ingressgateway}\n",
                                                             with: "  labels: {app: istio-ingressgateway, istio: ingressgateway}\n  annotations: \(annotations)\n")
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("Azure internal gateway", raises: ["PH0111"], yaml: gateway(annotations: "{service.beta.kubernetes.io/azure-load-balancer-internal: \"true\"}")),
            CheckExample("Tencent Cloud internal subnet", raises: ["PH0111"], yaml: gateway(annotations: "{service.kubernetes.io/qcloud-loadbalancer-internal-subnetid: subnet-3fi9b0qx}")),
            CheckExample("AWS scheme internet-facing", raises: [], yaml: gateway(annotations: "{service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing}")),
            CheckExample("no annotation", raises: [], yaml: GatewayExamples.ingressService),
        ]
    }
}
