import Foundation

/// A kind with its API group, the key of a snapshot's object lists (`Gateway.networking.istio.io`).
///
/// The group tells Istio's `Gateway` from Gateway API's `Gateway`; versions are not part of the key.
public struct KindKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var kind: String
    public var group: String

    public init(_ kind: String, group: String = "") { self.kind = kind; self.group = group }

    /// The key of an object from its `apiVersion` (`networking.istio.io/v1alpha3`) and `kind`.
    public init(apiVersion: String, kind: String) {
        let parts = apiVersion.split(separator: "/")
        self.init(kind, group: parts.count == 2 ? String(parts[0]) : "")
    }

    public var description: String { group.isEmpty ? kind : "\(kind).\(group)" }
    public static func < (a: KindKey, b: KindKey) -> Bool { a.description < b.description }

    public static let service = KindKey("Service")
    public static let pod = KindKey("Pod")
    public static let node = KindKey("Node")
    public static let namespace = KindKey("Namespace")
    public static let configMap = KindKey("ConfigMap")
    public static let deployment = KindKey("Deployment", group: "apps")
    public static let daemonSet = KindKey("DaemonSet", group: "apps")
    public static let ingress = KindKey("Ingress", group: "networking.k8s.io")
    public static let ingressClass = KindKey("IngressClass", group: "networking.k8s.io")
    public static let networkPolicy = KindKey("NetworkPolicy", group: "networking.k8s.io")
    public static let crd = KindKey("CustomResourceDefinition", group: "apiextensions.k8s.io")
    public static let istioGateway = KindKey("Gateway", group: "networking.istio.io")
    public static let virtualService = KindKey("VirtualService", group: "networking.istio.io")
    public static let destinationRule = KindKey("DestinationRule", group: "networking.istio.io")
    public static let serviceEntry = KindKey("ServiceEntry", group: "networking.istio.io")
    public static let peerAuthentication = KindKey("PeerAuthentication", group: "security.istio.io")
    public static let authorizationPolicy = KindKey("AuthorizationPolicy", group: "security.istio.io")
    public static let istioOperator = KindKey("IstioOperator", group: "install.istio.io")
    public static let ipAddressPool = KindKey("IPAddressPool", group: "metallb.io")
    public static let l2Advertisement = KindKey("L2Advertisement", group: "metallb.io")
    public static let bgpAdvertisement = KindKey("BGPAdvertisement", group: "metallb.io")
    public static let apiGateway = KindKey("Gateway", group: "gateway.networking.k8s.io")
    public static let gatewayClass = KindKey("GatewayClass", group: "gateway.networking.k8s.io")
    public static let httpRoute = KindKey("HTTPRoute", group: "gateway.networking.k8s.io")
    public static let referenceGrant = KindKey("ReferenceGrant", group: "gateway.networking.k8s.io")

    /// Every kind the checks read; a live snapshot should collect all that the cluster serves.
    public static let standard: Set<KindKey> = [
        .service, .pod, .node, .namespace, .configMap, .deployment, .daemonSet, .ingress, .ingressClass, .networkPolicy,
        .istioGateway, .virtualService, .destinationRule, .serviceEntry, .peerAuthentication, .authorizationPolicy,
        .istioOperator, .ipAddressPool, .l2Advertisement, .bgpAdvertisement,
        .apiGateway, .gatewayClass, .httpRoute, .referenceGrant,
    ]

    /// The standard kind a discovery resource name stands for: `gateways.networking.istio.io` (as printed by
    /// `kubectl api-resources -o name`), `gateways.v1alpha3.networking.istio.io`, or `services`. Nil for others.
    public static func standardKind(resource name: String) -> KindKey? {
        let parts = name.split(separator: ".").map(String.init)
        guard let plural = parts.first else { return nil }
        let rest = Array(parts.dropFirst())
        return (standard.union([.crd])).sorted().first { key in
            let kp = key.kubectlResource.split(separator: ".").map(String.init)
            guard kp.first == plural else { return false }
            return kp.dropFirst(2).joined(separator: ".") == rest.joined(separator: ".")
                || kp.dropFirst(1).joined(separator: ".") == rest.joined(separator: ".")
                || (key.group.isEmpty && rest.isEmpty)
        }
    }

    /// The `kubectl get` resource name for this kind, in the `plural.version.group` form that resolves
    /// from kubectl's discovery cache (a plain `plural.group` redoes discovery on every call).
    public var kubectlResource: String {
        switch self {
        case .service: return "services"
        case .pod: return "pods"
        case .node: return "nodes"
        case .namespace: return "namespaces"
        case .configMap: return "configmaps"
        case .deployment: return "deployments.v1.apps"
        case .daemonSet: return "daemonsets.v1.apps"
        case .ingress: return "ingresses.v1.networking.k8s.io"
        case .ingressClass: return "ingressclasses.v1.networking.k8s.io"
        case .networkPolicy: return "networkpolicies.v1.networking.k8s.io"
        case .crd: return "customresourcedefinitions.v1.apiextensions.k8s.io"
        case .istioGateway: return "gateways.v1alpha3.networking.istio.io"
        case .virtualService: return "virtualservices.v1alpha3.networking.istio.io"
        case .destinationRule: return "destinationrules.v1alpha3.networking.istio.io"
        case .serviceEntry: return "serviceentries.v1alpha3.networking.istio.io"
        case .peerAuthentication: return "peerauthentications.v1beta1.security.istio.io"
        case .authorizationPolicy: return "authorizationpolicies.v1beta1.security.istio.io"
        case .istioOperator: return "istiooperators.v1alpha1.install.istio.io"
        case .ipAddressPool: return "ipaddresspools.v1beta1.metallb.io"
        case .l2Advertisement: return "l2advertisements.v1beta1.metallb.io"
        case .bgpAdvertisement: return "bgpadvertisements.v1beta1.metallb.io"
        case .apiGateway: return "gateways.v1.gateway.networking.k8s.io"
        case .gatewayClass: return "gatewayclasses.v1.gateway.networking.k8s.io"
        case .httpRoute: return "httproutes.v1.gateway.networking.k8s.io"
        case .referenceGrant: return "referencegrants.v1beta1.gateway.networking.k8s.io"
        default: return kind.lowercased() + "s" + (group.isEmpty ? "" : ".\(group)")
        }
    }
}
