import Foundation

/// One kind of object the lab's API serves: its REST name, kind, versions and how kubectl shows it.
struct APIResource: Sendable {
    var group: String
    /// Served versions, preferred (newest) last.
    var versions: [String]
    var plural: String
    var singular: String
    var kind: String
    var shortNames: [String] = []
    var namespaced: Bool = true
    /// Whether a `/status` subresource exists (status writes through the main resource are dropped).
    var hasStatus: Bool = true
    /// Built-in kinds accept strategic merge patches; custom resources get 415.
    var builtIn: Bool = true
    /// Discovery categories (`kubectl get all` expands the `all` category).
    var categories: [String] = []
    var verbs: [String] = ["create", "delete", "get", "list", "patch", "update", "watch"]

    var key: ResourceKey { ResourceKey(group: group, resource: plural) }
    var preferredVersion: String { versions.last ?? "v1" }
    func apiVersion(_ version: String) -> String { group.isEmpty ? version : "\(group)/\(version)" }
}

/// Which resources a scenario's cluster serves: core and networking.k8s.io always, the rest by installed components.
struct ResourceCatalog: Sendable {
    let resources: [APIResource]

    init(topology: LabTopology) {
        var r: [APIResource] = [
            APIResource(group: "", versions: ["v1"], plural: "namespaces", singular: "namespace", kind: "Namespace", shortNames: ["ns"], namespaced: false),
            APIResource(group: "", versions: ["v1"], plural: "nodes", singular: "node", kind: "Node", shortNames: ["no"], namespaced: false),
            APIResource(group: "", versions: ["v1"], plural: "services", singular: "service", kind: "Service", shortNames: ["svc"], categories: ["all"]),
            APIResource(group: "", versions: ["v1"], plural: "endpoints", singular: "endpoints", kind: "Endpoints", shortNames: ["ep"], hasStatus: false),
            APIResource(group: "", versions: ["v1"], plural: "pods", singular: "pod", kind: "Pod", shortNames: ["po"], categories: ["all"]),
            APIResource(group: "", versions: ["v1"], plural: "configmaps", singular: "configmap", kind: "ConfigMap", shortNames: ["cm"], hasStatus: false),
            APIResource(group: "", versions: ["v1"], plural: "secrets", singular: "secret", kind: "Secret", hasStatus: false),
            APIResource(group: "", versions: ["v1"], plural: "events", singular: "event", kind: "Event", shortNames: ["ev"], hasStatus: false),
            APIResource(group: "networking.k8s.io", versions: ["v1"], plural: "ingresses", singular: "ingress", kind: "Ingress", shortNames: ["ing"]),
            APIResource(group: "networking.k8s.io", versions: ["v1"], plural: "ingressclasses", singular: "ingressclass", kind: "IngressClass",
                        namespaced: false, hasStatus: false),
            APIResource(group: "networking.k8s.io", versions: ["v1"], plural: "networkpolicies", singular: "networkpolicy", kind: "NetworkPolicy",
                        shortNames: ["netpol"], hasStatus: false),
        ]
        // Workloads are stored and shown like on any cluster; no controller turns them into pods (scenarios list pods).
        r += [
            APIResource(group: "apps", versions: ["v1"], plural: "deployments", singular: "deployment", kind: "Deployment", shortNames: ["deploy"],
                        categories: ["all"]),
            APIResource(group: "apps", versions: ["v1"], plural: "replicasets", singular: "replicaset", kind: "ReplicaSet", shortNames: ["rs"],
                        categories: ["all"]),
            APIResource(group: "apps", versions: ["v1"], plural: "statefulsets", singular: "statefulset", kind: "StatefulSet", shortNames: ["sts"],
                        categories: ["all"]),
            APIResource(group: "apps", versions: ["v1"], plural: "daemonsets", singular: "daemonset", kind: "DaemonSet", shortNames: ["ds"],
                        categories: ["all"]),
        ]
        // Derived from Endpoints, read-only (EndpointSlices.swift).
        r.append(APIResource(group: "discovery.k8s.io", versions: ["v1"], plural: "endpointslices", singular: "endpointslice",
                             kind: "EndpointSlice", hasStatus: false, verbs: ["get", "list"]))
        // `kubectl auth can-i`: answered, never stored (the lab's only user may do everything).
        r.append(APIResource(group: "authorization.k8s.io", versions: ["v1"], plural: "selfsubjectaccessreviews", singular: "",
                             kind: "SelfSubjectAccessReview", namespaced: false, hasStatus: false, verbs: ["create"]))
        let c = topology.components
        if let istio = c.istio {
            let v = istio.apiVersions.isEmpty ? ["v1alpha3"] : istio.apiVersions
            r += [
                APIResource(group: "networking.istio.io", versions: v, plural: "gateways", singular: "gateway", kind: "Gateway", shortNames: ["gw"], builtIn: false),
                APIResource(group: "networking.istio.io", versions: v, plural: "virtualservices", singular: "virtualservice", kind: "VirtualService",
                            shortNames: ["vs"], builtIn: false),
                APIResource(group: "networking.istio.io", versions: v, plural: "destinationrules", singular: "destinationrule", kind: "DestinationRule",
                            shortNames: ["dr"], builtIn: false),
                APIResource(group: "networking.istio.io", versions: v, plural: "serviceentries", singular: "serviceentry", kind: "ServiceEntry",
                            shortNames: ["se"], builtIn: false),
                APIResource(group: "networking.istio.io", versions: v, plural: "sidecars", singular: "sidecar", kind: "Sidecar", builtIn: false),
            ]
            // security.istio.io arrived with Istio 1.4 (v1beta1) and gained v1 in 1.22; Istio 1.1 had none of it.
            let security = Self.versionAtLeast(istio.version, major: 1, minor: 22) ? ["v1beta1", "v1"]
                : Self.versionAtLeast(istio.version, major: 1, minor: 4) ? ["v1beta1"] : []
            if !security.isEmpty {
                r += [
                    APIResource(group: "security.istio.io", versions: security, plural: "peerauthentications", singular: "peerauthentication",
                                kind: "PeerAuthentication", shortNames: ["pa"], builtIn: false),
                    APIResource(group: "security.istio.io", versions: security, plural: "authorizationpolicies", singular: "authorizationpolicy",
                                kind: "AuthorizationPolicy", shortNames: ["ap"], builtIn: false),
                ]
            }
            if istio.installedBy == "operator" {
                r.append(APIResource(group: "install.istio.io", versions: ["v1alpha1"], plural: "istiooperators", singular: "istiooperator",
                                     kind: "IstioOperator", shortNames: ["iop", "io"], builtIn: false))
            }
        }
        if let m = c.metallb, Self.versionAtLeast(m.version, major: 0, minor: 13) {
            r += [
                APIResource(group: "metallb.io", versions: ["v1beta1"], plural: "ipaddresspools", singular: "ipaddresspool", kind: "IPAddressPool", builtIn: false),
                APIResource(group: "metallb.io", versions: ["v1beta1"], plural: "l2advertisements", singular: "l2advertisement", kind: "L2Advertisement",
                            builtIn: false),
            ]
        }
        if c.gatewayAPI != nil {
            let g = "gateway.networking.k8s.io"
            r += [
                APIResource(group: g, versions: ["v1"], plural: "gatewayclasses", singular: "gatewayclass", kind: "GatewayClass", shortNames: ["gc"],
                            namespaced: false, builtIn: false),
                APIResource(group: g, versions: ["v1"], plural: "gateways", singular: "gateway", kind: "Gateway", shortNames: ["gtw"], builtIn: false),
                APIResource(group: g, versions: ["v1"], plural: "httproutes", singular: "httproute", kind: "HTTPRoute", builtIn: false),
                APIResource(group: g, versions: ["v1"], plural: "referencegrants", singular: "referencegrant", kind: "ReferenceGrant",
                            shortNames: ["refgrant"], hasStatus: false, builtIn: false),
            ]
        }
        resources = r
    }

    /// The groups in order of first appearance ("" is the legacy core group).
    var groups: [String] {
        var seen: [String] = []
        for r in resources where !seen.contains(r.group) { seen.append(r.group) }
        return seen
    }

    func resources(group: String, version: String) -> [APIResource] {
        resources.filter { $0.group == group && $0.versions.contains(version) }
    }

    func resource(group: String, version: String, plural: String) -> APIResource? {
        resources.first { $0.group == group && $0.plural == plural && $0.versions.contains(version) }
    }

    func resource(for key: ResourceKey) -> APIResource? { resources.first { $0.key == key } }

    /// The resource an object's apiVersion and kind name, for scenario loading.
    func resource(apiVersion: String, kind: String) -> APIResource? {
        let parts = apiVersion.split(separator: "/").map(String.init)
        let group = parts.count == 2 ? parts[0] : ""
        let version = parts.last ?? ""
        return resources.first { $0.group == group && $0.kind == kind && $0.versions.contains(version) }
    }

    /// "0.13.7" >= 0.13, tolerant of a leading "v".
    static func versionAtLeast(_ text: String, major: Int, minor: Int) -> Bool {
        let nums = text.trimmingCharacters(in: CharacterSet(charactersIn: "vV")).split(separator: ".").compactMap { Int($0) }
        guard let ma = nums.first else { return false }
        let mi = nums.count > 1 ? nums[1] : 0
        return (ma, mi) >= (major, minor)
    }
}
