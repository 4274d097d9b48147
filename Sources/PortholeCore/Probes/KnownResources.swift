import Foundation
import PortholeKube

/// The kinds porthole reads, with their plural, group and preferred versions, so that discovery can be
/// one request (`kubectl get --raw /apis`: which groups and versions are served) instead of a full
/// `kubectl api-resources` walk of every group-version. Resources outside this table fall back to the walk.
public enum KnownResources {
    /// (plural, group, kind, namespaced, versions in order of preference)
    static let table: [(String, String, String, Bool, [String])] = [
        ("services", "", "Service", true, ["v1"]), ("pods", "", "Pod", true, ["v1"]), ("nodes", "", "Node", false, ["v1"]),
        ("namespaces", "", "Namespace", false, ["v1"]), ("configmaps", "", "ConfigMap", true, ["v1"]),
        ("secrets", "", "Secret", true, ["v1"]), ("endpoints", "", "Endpoints", true, ["v1"]), ("events", "", "Event", true, ["v1"]),
        ("deployments", "apps", "Deployment", true, ["v1"]), ("daemonsets", "apps", "DaemonSet", true, ["v1"]),
        ("ingresses", "networking.k8s.io", "Ingress", true, ["v1"]), ("ingressclasses", "networking.k8s.io", "IngressClass", false, ["v1"]),
        ("networkpolicies", "networking.k8s.io", "NetworkPolicy", true, ["v1"]),
        ("customresourcedefinitions", "apiextensions.k8s.io", "CustomResourceDefinition", false, ["v1"]),
        ("gateways", "networking.istio.io", "Gateway", true, ["v1", "v1beta1", "v1alpha3"]),
        ("virtualservices", "networking.istio.io", "VirtualService", true, ["v1", "v1beta1", "v1alpha3"]),
        ("destinationrules", "networking.istio.io", "DestinationRule", true, ["v1", "v1beta1", "v1alpha3"]),
        ("serviceentries", "networking.istio.io", "ServiceEntry", true, ["v1", "v1beta1", "v1alpha3"]),
        ("peerauthentications", "security.istio.io", "PeerAuthentication", true, ["v1", "v1beta1"]),
        ("authorizationpolicies", "security.istio.io", "AuthorizationPolicy", true, ["v1", "v1beta1"]),
        ("istiooperators", "install.istio.io", "IstioOperator", true, ["v1alpha1"]),
        ("ipaddresspools", "metallb.io", "IPAddressPool", true, ["v1beta1"]),
        ("l2advertisements", "metallb.io", "L2Advertisement", true, ["v1beta1"]),
        ("bgpadvertisements", "metallb.io", "BGPAdvertisement", true, ["v1beta1"]),
        ("gateways", "gateway.networking.k8s.io", "Gateway", true, ["v1", "v1beta1"]),
        ("gatewayclasses", "gateway.networking.k8s.io", "GatewayClass", false, ["v1", "v1beta1"]),
        ("httproutes", "gateway.networking.k8s.io", "HTTPRoute", true, ["v1", "v1beta1"]),
        ("referencegrants", "gateway.networking.k8s.io", "ReferenceGrant", true, ["v1beta1", "v1"]),
    ]

    /// Every known resource, at its first preferred version, as if all groups were served.
    static var all: APIResources {
        APIResources(table.map { APIResource(plural: $0.0, group: $0.1, version: $0.4[0], kind: $0.2, namespaced: $0.3) })
    }

    /// True when every name resolves in the table (so the one-request discovery is enough).
    static func covers(_ names: [String]) -> Bool { names.allSatisfy { all.resolve($0) != nil } }

    /// The known resources a cluster serves, from its `/apis` group list (the core group is always served).
    /// A group's version is the first of the table's preferences that the cluster serves.
    static func served(groupList: JSONValue) -> APIResources? {
        guard let groups = groupList["groups"]?.arrayValue else { return nil }
        var versions: [String: [String]] = ["": ["v1"]]
        for g in groups {
            guard let name = g["name"]?.stringValue else { continue }
            versions[name] = (g["versions"]?.arrayValue ?? []).compactMap { $0["version"]?.stringValue }
        }
        var out: [APIResource] = []
        for (plural, group, kind, namespaced, prefs) in table {
            guard let served = versions[group], let v = prefs.first(where: served.contains) else { continue }
            out.append(APIResource(plural: plural, group: group, version: v, kind: kind, namespaced: namespaced))
        }
        return APIResources(out)
    }
}
