import Foundation
import PortholeKube

extension FindingDefinition {
    static let poolNotAdvertised = FindingDefinition(
        code: "PH0405", level: .error, title: "MetalLBPoolNotAdvertised",
        template: "{pool} is announced by no L2Advertisement or BGPAdvertisement: addresses from it are assigned but nobody answers for them",
        cause: "Since MetalLB 0.13 a pool is announced only when an advertisement selects it (one with no ipAddressPools selects all pools).",
        fix: "create an L2Advertisement in {namespace} with spec.ipAddressPools: [{name}]")
}

/// IPAddressPools no advertisement announces (assigned but unreachable addresses).
public enum AdvertisementCheck: FindingCheck {
    public static let id = "metallb-pool-not-advertised"
    public static var definitions: [FindingDefinition] { [.poolNotAdvertised] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.isLive || s.knows(.l2Advertisement) || s.knows(.bgpAdvertisement) else { return [] }
        let m = MetalLBFacts(s)
        guard m.era != .legacyConfigMap else { return [] }
        return m.crdPools.filter { p in !m.advertisements.contains { $0.covers(p) } }.map { p in
            FindingDefinition.poolNotAdvertised.make(p.object.reference, field: "metadata.name", [
                "pool": .object(p.object.reference), "namespace": .value(p.object.namespace ?? "metallb-system"), "name": .value(p.object.name),
            ])
        }
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("pool without advertisement (live)", raises: ["PH0405"], live: true,
                         yaml: MetalLBExamples.join(MetalLBExamples.controller("v0.14.5"), MetalLBExamples.pool("192.168.1.240-192.168.1.250"))),
            CheckExample("advertisement selecting another pool", raises: ["PH0405"], yaml: MetalLBExamples.join(
                MetalLBExamples.pool("192.168.1.240-192.168.1.250"), MetalLBExamples.l2 + "\nspec: {ipAddressPools: [other]}")),
            CheckExample("L2Advertisement for all pools", raises: [], live: true,
                         yaml: MetalLBExamples.join(MetalLBExamples.controller("v0.14.5"), MetalLBExamples.pool("192.168.1.240-192.168.1.250"), MetalLBExamples.l2)),
        ]
    }
}
