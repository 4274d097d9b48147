import Foundation
import PortholeKube

extension FindingDefinition {
    static let legacyConfigMapIgnored = FindingDefinition(
        code: "PH0401", level: .error, title: "MetalLBLegacyConfigIgnored",
        template: "{configMap} holds address-pools ({pools}) but MetalLB {version} reads only IPAddressPool and L2Advertisement resources: this ConfigMap is ignored",
        cause: "MetalLB 0.13 replaced the ConfigMap configuration with CRDs; a leftover ConfigMap configures nothing, so Services stay <pending>.",
        fix: "create an IPAddressPool with spec.addresses [{addresses}] and an L2Advertisement in {namespace}, then delete the ConfigMap")
}

/// MetalLB's legacy ConfigMap on a MetalLB that reads CRDs.
public enum MetalLBConfigEraCheck: FindingCheck {
    public static let id = "metallb-legacy-config"
    public static var definitions: [FindingDefinition] { [.legacyConfigMapIgnored] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let m = MetalLBFacts(s)
        guard m.era == .crds, let legacy = m.legacy, !legacy.pools.isEmpty else { return [] }
        return [FindingDefinition.legacyConfigMapIgnored.make(legacy.configMap.object.reference, field: "data.config", [
            "configMap": .object(legacy.configMap.object.reference), "pools": .list(legacy.pools.map(\.name)),
            "version": .value(m.versionText ?? ">= 0.13 (IPAddressPool CRD served)"),
            "addresses": .list(legacy.pools.flatMap(\.addresses)), "namespace": .value(legacy.configMap.namespace),
        ])]
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("ConfigMap on MetalLB v0.14", raises: ["PH0401"],
                         yaml: MetalLBExamples.join(MetalLBExamples.controller("v0.14.5"), MetalLBExamples.legacyConfig("192.168.1.240-192.168.1.250"))),
            CheckExample("ConfigMap on MetalLB v0.12", raises: [],
                         yaml: MetalLBExamples.join(MetalLBExamples.controller("v0.12.1"), MetalLBExamples.legacyConfig("192.168.1.240-192.168.1.250"))),
            CheckExample("IPAddressPool on MetalLB v0.14", raises: [],
                         yaml: MetalLBExamples.join(MetalLBExamples.controller("v0.14.5"), MetalLBExamples.pool("192.168.1.240-192.168.1.250"), MetalLBExamples.l2)),
        ]
    }
}
