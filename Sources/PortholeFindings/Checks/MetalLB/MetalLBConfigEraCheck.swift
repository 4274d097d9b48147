import Foundation
import PortholeKube

extension FindingDefinition {
    static let legacyConfigMapIgnored = FindingDefinition(
        code: "PH0401", level: .error, title: "MetalLBLegacyConfigIgnored",
        template: "{configMap} holds address-pools ({pools}) but MetalLB {version} reads only IPAddressPool and L2Advertisement resources: this ConfigMap is ignored",
        cause: "MetalLB 0.13 replaced the ConfigMap configuration with CRDs; a leftover ConfigMap configures nothing, so Services stay <pending>.",
        fix: "create an IPAddressPool with spec.addresses [{addresses}] and an L2Advertisement in {namespace}, then delete the ConfigMap")
    static let legacyConfigMapLeftover = FindingDefinition(
        code: "PH0409", level: .info, title: "MetalLBLegacyConfigLeftover",
        template: "{configMap} is a leftover MetalLB <= 0.12 configuration (pools {pools}); MetalLB {version} ignores it and uses the IPAddressPools {crdPools}",
        cause: "MetalLB 0.13 and later read only custom resources; the old ConfigMap changes nothing but misleads whoever edits it (adding an address there has no effect).",
        fix: "edit the IPAddressPools instead, and delete the leftover: kubectl -n {namespace} delete configmap {name}")
}

/// MetalLB's legacy ConfigMap on a MetalLB that reads CRDs.
public enum MetalLBConfigEraCheck: FindingCheck {
    public static let id = "metallb-legacy-config"
    public static var definitions: [FindingDefinition] { [.legacyConfigMapIgnored, .legacyConfigMapLeftover] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let m = MetalLBFacts(s)
        guard m.era == .crds, let legacy = m.legacy, !legacy.pools.isEmpty else { return [] }
        let args: [String: FindingArgument] = [
            "configMap": .object(legacy.configMap.object.reference), "pools": .list(legacy.pools.map(\.name)),
            "version": .value(m.versionText ?? ">= 0.13 (IPAddressPool CRD served)"),
            "addresses": .list(legacy.pools.flatMap(\.addresses)), "namespace": .value(legacy.configMap.namespace),
            "name": .value(legacy.configMap.name), "crdPools": .list(m.crdPools.map(\.object.name).sorted()),
        ]
        // With IPAddressPools in place the ConfigMap is only a misleading leftover; without, it is why Services pend.
        let def: FindingDefinition = m.crdPools.isEmpty ? .legacyConfigMapIgnored : .legacyConfigMapLeftover
        return [def.make(legacy.configMap.object.reference, field: "data.config", args)]
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("ConfigMap on MetalLB v0.14", raises: ["PH0401"],
                         yaml: MetalLBExamples.join(MetalLBExamples.controller("v0.14.5"), MetalLBExamples.legacyConfig("192.168.1.240-192.168.1.250"))),
            CheckExample("ConfigMap on MetalLB v0.12", raises: [],
                         yaml: MetalLBExamples.join(MetalLBExamples.controller("v0.12.1"), MetalLBExamples.legacyConfig("192.168.1.240-192.168.1.250"))),
            CheckExample("leftover ConfigMap beside an IPAddressPool", raises: ["PH0409"], yaml: MetalLBExamples.join(
                MetalLBExamples.controller("v0.14.5"), MetalLBExamples.legacyConfig("192.168.1.240-192.168.1.250"),
                MetalLBExamples.pool("192.168.1.240-192.168.1.250"), MetalLBExamples.l2)),
            CheckExample("IPAddressPool on MetalLB v0.14", raises: [],
                         yaml: MetalLBExamples.join(MetalLBExamples.controller("v0.14.5"), MetalLBExamples.pool("192.168.1.240-192.168.1.250"), MetalLBExamples.l2)),
        ]
    }
}
