import Foundation
import PortholeKube

extension FindingDefinition {
    static let clientAddressMasqueraded = FindingDefinition(
        code: "PH0703", level: .warning, title: "PolicyOnMasqueradedClientAddress",
        template: "{policy} ({action}) decides on the client's address ({field}), but {service} has externalTrafficPolicy Cluster: the gateway sees a node's address, so {effect}",
        cause: "With externalTrafficPolicy Cluster, kube-proxy masquerades external traffic to the node's own address before it reaches the gateway pod; an AuthorizationPolicy's ipBlocks (and remoteIpBlocks, without trusted proxies in front) then compare the node's address, never the client's.",
        fix: "set spec.externalTrafficPolicy: Local on {service} (the gateway then sees client addresses; only nodes running a gateway pod answer), or filter at the provider's firewall or load balancer instead")
}

/// An AuthorizationPolicy on an ingress gateway pod that matches on client addresses while the gateway's
/// Service masquerades them (externalTrafficPolicy Cluster): it cannot tell clients apart.
public enum MasqueradedClientCheck: FindingCheck {
    public static let id = "policy-on-masqueraded-client-address"
    public static var definitions: [FindingDefinition] { [.clientAddressMasqueraded] }

    /// The address fields a rule uses (`from.source` blocks and `when` keys), in rule order.
    static func addressFields(_ ap: AuthorizationPolicy, trustsProxies: Bool) -> [String] {
        var out: [String] = []
        let ip = ["ipBlocks", "notIpBlocks"], remote = ["remoteIpBlocks", "notRemoteIpBlocks"]
        for rule in ap.rules {
            for from in rule["from"]?.arrayValue ?? [] {
                for f in ip + (trustsProxies ? [] : remote) where from["source"]?[f] != nil && !out.contains(f) { out.append(f) }
            }
            for c in rule["when"]?.arrayValue ?? [] {
                guard let key = c["key"]?.stringValue, key == "source.ip" || (key == "remote.ip" && !trustsProxies), !out.contains(key) else { continue }
                out.append(key)
            }
        }
        return out
    }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.knows(.pod) else { return [] }
        var out: [Finding] = []
        for svc in s.ingressGatewayServices where (svc.type == "LoadBalancer" || svc.type == "NodePort") && svc.externalTrafficPolicy == "Cluster" {
            guard let pod = s.pods(selectedBy: svc).first else { continue }
            // numTrustedProxies in the gateway's proxy config: remote.ip comes from X-Forwarded-For instead.
            let trusts = (pod.object.annotations["proxy.istio.io/config"] ?? "").contains("numTrustedProxies")
            for ap in s.authorizationPolicies where AllowNothingPolicyCheck.applies(ap, to: pod, root: scope.istioRootNamespace) {
                guard ap.action == "ALLOW" || ap.action == "DENY" else { continue }
                let fields = addressFields(ap, trustsProxies: trusts)
                guard let field = fields.first else { continue }
                let effect = ap.action == "ALLOW" ? "it admits whoever the node's address admits, the operator included or not" :
                    fields.contains(where: { $0.hasPrefix("not") }) ? "it denies every client, the operator too" : "it never denies the clients it names"
                out.append(FindingDefinition.clientAddressMasqueraded.make(ap.object.reference, field: "spec.rules", [
                    "policy": .object(ap.object.reference), "action": .value(ap.action), "field": .value(field),
                    "service": .object(svc.reference), "effect": .value(effect),
                ]))
            }
        }
        return out
    }

    static let restrict = """
        apiVersion: security.istio.io/v1beta1
        kind: AuthorizationPolicy
        metadata: {name: prometheus-operator-only, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          action: DENY
          rules:
          - from: [{source: {notIpBlocks: [198.51.100.7/32]}}]
        """

    public static var examples: [CheckExample] {
        let local = GatewayExamples.ingressService.replacingOccurrences(of: "type: LoadBalancer", with: "type: LoadBalancer\n  externalTrafficPolicy: Local")
        return [
            CheckExample("DENY notIpBlocks on a gateway with externalTrafficPolicy Cluster", raises: ["PH0703"],
                         yaml: RoutingExamples.join(GatewayExamples.ingressService, GatewayExamples.ingressPod, restrict)),
            CheckExample("the same policy with externalTrafficPolicy Local", raises: [],
                         yaml: RoutingExamples.join(local, GatewayExamples.ingressPod, restrict)),
            CheckExample("a policy on hosts only", raises: [],
                         yaml: RoutingExamples.join(GatewayExamples.ingressService, GatewayExamples.ingressPod, AllowNothingPolicyCheck.allowNothing)),
        ]
    }
}
