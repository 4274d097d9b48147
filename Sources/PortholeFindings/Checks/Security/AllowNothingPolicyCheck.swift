import Foundation
import PortholeKube

extension FindingDefinition {
    static let allowNothingOnPath = FindingDefinition(
        code: "PH0702", level: .warning, title: "AllowNothingPolicyOnPath",
        template: "{policy} (ALLOW with no rules) applies to {workload} and no other ALLOW policy admits anything there: every request is denied with 403 RBAC: access denied",
        cause: "An AuthorizationPolicy with action ALLOW and no rules matches nothing, so it denies everything for the workloads it selects unless another ALLOW policy admits the request.",
        fix: "add an ALLOW policy for the traffic you want (for the gateway: rules.from.source.remoteIpBlocks: [<your-ip>/32], to.operation.ports: [\"{port}\"]), or delete the allow-nothing policy if it was an experiment")
}

/// An allow-nothing AuthorizationPolicy on the gateway or on Prometheus, with nothing else allowing.
public enum AllowNothingPolicyCheck: FindingCheck {
    public static let id = "allow-nothing-policy-on-path"
    public static var definitions: [FindingDefinition] { [.allowNothingOnPath] }

    /// True when `ap` selects `pod` (root-namespace policies without selector apply mesh-wide).
    static func applies(_ ap: AuthorizationPolicy, to pod: Pod, root: String) -> Bool {
        guard ap.namespace == pod.namespace || (ap.namespace == root && ap.selector == nil) else { return false }
        return ap.selector.map { LabelSelector.matches($0, pod.labels) } ?? true
    }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.knows(.pod) else { return [] }
        let policies = s.authorizationPolicies
        guard policies.contains(where: { $0.action == "ALLOW" && $0.rules.isEmpty }) else { return [] }
        // The workloads on the way in: ingress gateway pods, and Prometheus pods that have a sidecar.
        var targets: [(Pod, Int)] = []
        for svc in s.ingressGatewayServices { if let pod = s.pods(selectedBy: svc).first { targets.append((pod, svc.ports.first?.port ?? 80)) } }
        for svc in s.services.filter(PrometheusTargets.isPrometheus) {
            if let pod = s.pods(selectedBy: svc).first(where: \.hasSidecar) { targets.append((pod, svc.ports.first?.port ?? 9090)) }
        }
        var out: [Finding] = []
        var seen = Set<String>()
        for (pod, port) in targets where seen.insert("\(pod.namespace)/\(pod.name)").inserted {
            let applying = policies.filter { applies($0, to: pod, root: scope.istioRootNamespace) }
            guard let nothing = applying.first(where: { $0.action == "ALLOW" && $0.rules.isEmpty }),
                  !applying.contains(where: { $0.action == "ALLOW" && !$0.rules.isEmpty }) else { continue }
            out.append(FindingDefinition.allowNothingOnPath.make(nothing.object.reference, field: "spec", [
                "policy": .object(nothing.object.reference), "workload": .value("pod \(pod.namespace)/\(pod.name)"), "port": .port(port),
            ]))
        }
        return out
    }

    static let allowNothing = """
        apiVersion: security.istio.io/v1beta1
        kind: AuthorizationPolicy
        metadata: {name: allow-nothing, namespace: istio-system}
        spec: {}
        """

    public static var examples: [CheckExample] {
        let base = RoutingExamples.join(GatewayExamples.ingressService, GatewayExamples.ingressPod, allowNothing)
        return [
            CheckExample("mesh-wide allow-nothing, no other ALLOW", raises: ["PH0702"], yaml: base),
            CheckExample("allow-nothing plus an ALLOW for the operator", raises: [], yaml: RoutingExamples.join(base, PrometheusExposureCheck.policy)),
            CheckExample("no allow-nothing policy", raises: [], yaml: RoutingExamples.join(GatewayExamples.ingressService, GatewayExamples.ingressPod)),
        ]
    }
}
