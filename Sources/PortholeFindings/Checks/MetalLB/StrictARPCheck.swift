import Foundation
import PortholeKube

extension FindingDefinition {
    static let ipvsWithoutStrictARP = FindingDefinition(
        code: "PH0408", level: .error, title: "IPVSWithoutStrictARP",
        template: "{configMap} runs kube-proxy in IPVS mode without ipvs.strictARP: true, which MetalLB layer2 needs",
        cause: "In IPVS mode kube-proxy puts every load-balancer address on kube-ipvs0, and without strictARP every node answers ARP for it, so traffic lands on the wrong nodes.",
        fix: "set ipvs.strictARP: true in {configMap} (kubectl -n kube-system edit configmap kube-proxy), then restart kube-proxy (kubectl -n kube-system rollout restart daemonset kube-proxy)")
}

/// kube-proxy IPVS without strictARP next to MetalLB layer2.
public enum StrictARPCheck: FindingCheck {
    public static let id = "ipvs-without-strictarp"
    public static var definitions: [FindingDefinition] { [.ipvsWithoutStrictARP] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let m = MetalLBFacts(s)
        guard m.installed, !PoolSegmentCheck.layer2Pools(m).isEmpty,
              let cm = s.configMaps.first(where: { $0.name == "kube-proxy" && $0.namespace == "kube-system" }),
              let text = cm.data["config.conf"], let conf = try? JSONValue.yaml(text),
              conf["mode"]?.stringValue == "ipvs", conf["ipvs"]?["strictARP"]?.boolValue != true else { return [] }
        return [FindingDefinition.ipvsWithoutStrictARP.make(cm.object.reference, field: "data.config.conf: ipvs.strictARP", [
            "configMap": .object(cm.object.reference),
        ])]
    }

    static func kubeProxy(_ strict: Bool) -> String {
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: kube-proxy, namespace: kube-system}
        data:
          config.conf: |
            apiVersion: kubeproxy.config.k8s.io/v1alpha1
            kind: KubeProxyConfiguration
            mode: ipvs
            ipvs:
              strictARP: \(strict)
        """
    }

    public static var examples: [CheckExample] {
        let base = MetalLBExamples.join(MetalLBExamples.controller("v0.14.5"), MetalLBExamples.pool("192.168.1.240-192.168.1.250"), MetalLBExamples.l2)
        return [
            CheckExample("IPVS without strictARP", raises: ["PH0408"], yaml: MetalLBExamples.join(base, kubeProxy(false))),
            CheckExample("IPVS with strictARP", raises: [], yaml: MetalLBExamples.join(base, kubeProxy(true))),
        ]
    }
}
