import Foundation
import PortholeKube

/// Typed lists and the relations checks share (which pods a Service selects, which Service fronts a gateway).
public extension ClusterSnapshot {
    var services: [Service] { cache.services(self) }
    var pods: [Pod] { cache.pods(self) }
    var nodes: [Node] { cache.nodes(self) }
    var namespaces: [Namespace] { items(.namespace).map(Namespace.init) }
    var networkPolicies: [NetworkPolicy] { items(.networkPolicy).map(NetworkPolicy.init) }
    var configMaps: [ConfigMap] { items(.configMap).map(ConfigMap.init) }
    var istioGateways: [IstioGateway] { items(.istioGateway).map(IstioGateway.init) }
    var virtualServices: [VirtualService] { items(.virtualService).map(VirtualService.init) }
    var destinationRules: [DestinationRule] { items(.destinationRule).map(DestinationRule.init) }
    var peerAuthentications: [PeerAuthentication] { items(.peerAuthentication).map(PeerAuthentication.init) }
    var authorizationPolicies: [AuthorizationPolicy] { items(.authorizationPolicy).map(AuthorizationPolicy.init) }
    var ingresses: [Ingress] { items(.ingress).map(Ingress.init) }
    var ingressClasses: [IngressClass] { items(.ingressClass).map(IngressClass.init) }
    var apiGateways: [APIGateway] { items(.apiGateway).map(APIGateway.init) }
    var httpRoutes: [HTTPRoute] { items(.httpRoute).map(HTTPRoute.init) }
    /// The names of the GatewayClasses read (cluster-scoped).
    var gatewayClassNames: [String] { items(.gatewayClass).compactMap { $0["metadata"]?["name"]?.stringValue }.sorted() }
    var referenceGrants: [ReferenceGrant] { items(.referenceGrant).map(ReferenceGrant.init) }
    var istioOperators: [IstioOperator] { items(.istioOperator).map(IstioOperator.init) }

    /// The Service `namespace/name`, if read.
    func service(_ name: String, in namespace: String) -> Service? {
        services.first { $0.name == name && $0.namespace == namespace }
    }

    /// The Service a route host names, as Istio resolves it from `namespace`; nil for outside names.
    /// A two-label name (`google.com`) counts as `name.namespace` only when that namespace exists or namespaces are unknown.
    func serviceName(_ host: String, from namespace: String) -> (name: String, namespace: String)? {
        guard let r = HostNames.service(host, from: namespace) else { return nil }
        if host.split(separator: ".").count == 2, knows(.namespace), !namespaces.isEmpty, self.namespace(r.namespace) == nil { return nil }
        return r
    }

    /// The Namespace object `name`, if read.
    func namespace(_ name: String) -> Namespace? { namespaces.first { $0.name == name } }

    /// Pods a Service's selector picks (none for a Service without selector).
    func pods(selectedBy service: Service) -> [Pod] {
        let sel = service.selector
        guard !sel.isEmpty else { return [] }
        return cache.pods(in: service.namespace, self).filter { LabelSelector.matches(sel, $0.labels) }
    }

    /// Gateway pods an Istio Gateway's selector picks, in any namespace (Istio's default scope).
    func gatewayPods(_ gw: IstioGateway) -> [Pod] {
        let sel = gw.selector
        guard !sel.isEmpty else { return [] }
        return pods.filter { LabelSelector.matches(sel, $0.labels) }
    }

    /// The Services in front of a Gateway's pods; without pods, the Services whose selector includes the Gateway's.
    func gatewayServices(_ gw: IstioGateway) -> [Service] {
        let sel = gw.selector
        guard !sel.isEmpty else { return [] }
        let gwPods = gatewayPods(gw)
        if !gwPods.isEmpty {
            return services.filter { s in
                !s.selector.isEmpty && gwPods.contains { $0.namespace == s.namespace && LabelSelector.matches(s.selector, $0.labels) }
            }
        }
        return services.filter { !$0.selector.isEmpty && LabelSelector.matches(sel, $0.selector) }
    }

    /// Istio ingress gateway Services: selecting pods labelled `istio: ingressgateway`/`ingress`, or so labelled themselves.
    var ingressGatewayServices: [Service] {
        services.filter { s in
            let l = s.object.labels, sel = s.selector
            return ["ingressgateway", "ingress"].contains(sel["istio"] ?? l["istio"] ?? "") || sel["app"] == "istio-ingressgateway"
        }
    }

    /// True when Istio's control plane or its APIs are present.
    var istioInstalled: Bool {
        pods.contains { p in p.labels["app"] == "istiod" || p.labels["istio"] == "pilot" || p.images.contains { $0.contains("istio/pilot") } }
            || serves(.virtualService) == true || !istioGateways.isEmpty
    }

    /// The pods of the ingress-nginx controller (by the chart's labels or the image).
    var ingressNginxPods: [Pod] {
        pods.filter { p in
            (p.labels["app.kubernetes.io/name"] == "ingress-nginx" && p.labels["app.kubernetes.io/component"] != "admission-webhook")
                || p.images.contains { $0.contains("ingress-nginx/controller") }
        }
    }

    /// The Services in front of the ingress-nginx controller (not its admission webhook).
    var ingressNginxServices: [Service] {
        let ctl = ingressNginxPods
        return services.filter { s in
            guard !s.name.hasSuffix("-admission"), !s.selector.isEmpty else { return false }
            if ctl.contains(where: { $0.namespace == s.namespace && LabelSelector.matches(s.selector, $0.labels) }) { return true }
            return ctl.isEmpty && s.selector["app.kubernetes.io/name"] == "ingress-nginx" && s.selector["app.kubernetes.io/component"] == "controller"
        }
    }

    /// Every node address a nodePort answers on.
    var nodeAddresses: [String] { nodes.flatMap { $0.ipAddresses } }

    /// Cloud load-balancer support: a node's providerID names a cloud with a load-balancer controller.
    var cloudProvider: String? {
        let clouds = ["aws", "gce", "azure", "openstack", "digitalocean", "hcloud", "linode", "oci", "ibm", "tencentcloud", "alicloud", "qcloud"]
        for n in nodes { if let p = n.providerID, let scheme = p.split(separator: ":").first, clouds.contains(String(scheme)) { return String(scheme) } }
        return nil
    }

    /// Load-balancer controllers other than MetalLB and clouds, recognised by image (kube-vip, k3s servicelb, OpenELB,
    /// PureLB, Cilium whose LB IPAM may be configured). Sorted so the answer is deterministic.
    var otherLoadBalancerController: String? {
        let known = ["kube-vip": "kube-vip", "klipper-lb": "k3s servicelb", "openelb": "OpenELB", "purelb": "PureLB", "cilium/operator": "Cilium LB IPAM"]
        let images = pods.flatMap(\.images)
        return known.keys.sorted().first { k in images.contains { $0.contains(k) } }.map { known[$0]! }
    }

    /// The object reference for a namespace name (for suppression lookups and messages).
    func namespaceReference(_ name: String) -> ObjectReference { ObjectReference(kind: "Namespace", namespace: nil, name: name) }
}
