import Foundation
import PortholeKube
import PortholeNet

/// The client-address filters the lab enforces besides AuthorizationPolicy: a Service's
/// `spec.loadBalancerSourceRanges` (kube-proxy drops other sources on the load-balancer address) and an
/// Ingress's ingress-nginx allow-list annotation (nginx answers 403 to other sources).
///
/// A source is compared as AuthorizationPolicy ipBlocks are (the loopback address the connection came from,
/// `AuthorizationPolicies.inBlock`), and also by the real address it stands for in the scenario (a node's
/// `standsFor`, or the scenario's `standsFor` map), so a range may be written in either terms.
enum SourceRanges {
    /// The operator's machine: the lab's clients (porthole, curl, the tests) connect from localhost, the one
    /// loopback address a scenario never relocates.
    static let operatorAddress = "127.0.0.1"

    /// The newer and the older name of ingress-nginx's allow-list annotation; the newer wins when both are set.
    static let allowListAnnotations = ["nginx.ingress.kubernetes.io/allowlist-source-range", "nginx.ingress.kubernetes.io/whitelist-source-range"]

    /// `spec.loadBalancerSourceRanges` of a Service; empty when unset (no filter).
    static func loadBalancer(_ svc: JSONValue) -> [String] {
        (svc.spec["loadBalancerSourceRanges"]?.array ?? []).compactMap { $0.stringValue }.map(trimmed).filter { !$0.isEmpty }
    }

    /// The comma-separated CIDRs of an Ingress's allow-list annotation, else of the controller ConfigMap's
    /// `whitelist-source-range` (the global default an annotation overrides); nil when neither sets one.
    static func nginxAllowList(_ ing: JSONValue, controllerConfig: [String: String] = [:]) -> [String]? {
        let value = allowListAnnotations.lazy.compactMap({ ing.annotations[$0] }).first
            ?? ["allowlist-source-range", "whitelist-source-range"].lazy.compactMap({ controllerConfig[$0] }).first
        return value.flatMap(cidrs)
    }

    /// The CIDRs nginx refuses for an Ingress: its `denylist-source-range` annotation, else the controller
    /// ConfigMap's `denylist-source-range`; nil when neither sets one.
    static func nginxDenyList(_ ing: JSONValue, controllerConfig: [String: String] = [:]) -> [String]? {
        (ing.annotations["nginx.ingress.kubernetes.io/denylist-source-range"] ?? controllerConfig["denylist-source-range"]).flatMap(cidrs)
    }

    private static func cidrs(_ value: String) -> [String]? {
        let ranges = value.split(separator: ",").map { trimmed(String($0)) }.filter { !$0.isEmpty }
        return ranges.isEmpty ? nil : ranges
    }

    /// True when `source` is inside one of `ranges` (empty ranges admit everyone).
    static func admits(_ ranges: [String], source: String, topology: LabTopology) -> Bool {
        guard !ranges.isEmpty else { return true }
        let forms = [source] + realAddresses(of: source, topology: topology)
        return ranges.contains { range in forms.contains { AuthorizationPolicies.inBlock($0, range) } }
    }

    /// The real addresses a loopback address stands for in the scenario (none when it says nothing).
    static func realAddresses(of ip: String, topology: LabTopology) -> [String] {
        var out: [String] = []
        if let real = topology.standsFor?[ip] { out.append(real) }
        for n in topology.nodes {
            if n.internalIP == ip, let real = n.standsFor?["internalIP"] { out.append(real) }
            if n.externalIP == ip, let real = n.standsFor?["externalIP"] { out.append(real) }
        }
        return out
    }

    private static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }
}
