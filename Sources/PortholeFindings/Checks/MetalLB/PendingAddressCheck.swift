import Foundation
import PortholeKube

extension FindingDefinition {
    static let noAddressPool = FindingDefinition(
        code: "PH0402", level: .error, title: "MetalLBNoAddressPool",
        template: "{service} is <pending>: MetalLB is installed but has no address pool it reads ({era})",
        cause: "MetalLB assigns addresses only from its pools: IPAddressPool resources (>= 0.13) or the ConfigMap's address-pools (<= 0.12).",
        fix: "create an IPAddressPool in metallb-system with addresses on the nodes' segment, and an L2Advertisement")
    static let requestedAddressInNoPool = FindingDefinition(
        code: "PH0403", level: .error, title: "RequestedAddressInNoPool",
        template: "{service} requests {address} ({field}) but no MetalLB pool contains it (pools: {pools}): it stays <pending>",
        cause: "MetalLB gives a requested address only when one of its pools owns it.",
        fix: "add {address} to a pool on the nodes' segment, or request an address from {pools}")
    static let addressPoolExhausted = FindingDefinition(
        code: "PH0404", level: .error, title: "AddressPoolExhausted",
        template: "{service} is <pending>: all {count} addresses of pools {pools} are already assigned ({used})",
        cause: "MetalLB has no free address left in an auto-assign pool.",
        fix: "add addresses to a pool (on the nodes' segment), free one, or share one with the annotation metallb.universe.tf/allow-shared-ip")
}

/// Why a LoadBalancer Service stays <pending> under MetalLB: no pool, requested IP in no pool, pools exhausted.
public enum PendingAddressCheck: FindingCheck {
    public static let id = "metallb-pending-address"
    public static var definitions: [FindingDefinition] { [.noAddressPool, .requestedAddressInNoPool, .addressPoolExhausted] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let m = MetalLBFacts(s)
        guard m.installed else { return [] }
        let poolNames = m.activePools.map(\.name)
        let used = Set(s.services.flatMap(\.loadBalancerIngress))
        var out: [Finding] = []
        for svc in s.services where svc.type == "LoadBalancer" && svc.loadBalancerClass == nil {
            let args: [String: FindingArgument] = ["service": .object(svc.reference), "pools": .list(poolNames)]
            if let ip = svc.requestedIPs.first(where: { m.pool(containing: $0) == nil }), !m.activePools.isEmpty || svc.isPending {
                let field = svc.object.spec["loadBalancerIP"]?.stringValue == ip ? "spec.loadBalancerIP" : "metadata.annotations"
                out.append(FindingDefinition.requestedAddressInNoPool.make(svc.reference, field: field, args.merging([
                    "address": .address(ip), "field": .field(field)], uniquingKeysWith: { $1 })))
                continue
            }
            guard svc.isPending, svc.requestedIPs.isEmpty else { continue }
            let shares = svc.object.annotations["metallb.universe.tf/allow-shared-ip"] ?? svc.object.annotations["metallb.io/allow-shared-ip"]
            let auto = m.activePools.filter(\.autoAssign)
            if auto.isEmpty {
                let era: String
                switch m.era {
                case .crds: era = "no IPAddressPool with autoAssign"
                case .legacyConfigMap: era = "ConfigMap config has no address-pools with auto-assign"
                case .unknown: era = "neither IPAddressPool nor ConfigMap config"
                }
                out.append(FindingDefinition.noAddressPool.make(svc.reference, field: "status.loadBalancer", args.merging(["era": .value(era)], uniquingKeysWith: { $1 })))
                continue
            }
            let size = auto.reduce(0) { $0 + $1.size }
            guard size > 0, size <= 65_536 else { continue }
            let taken = used.filter { ip in auto.contains { $0.contains(ip) } }.sorted()
            if taken.count >= size && shares == nil {
                out.append(FindingDefinition.addressPoolExhausted.make(svc.reference, field: "status.loadBalancer", args.merging([
                    "count": .count(size), "used": .list(taken), "pools": .list(auto.map(\.name)),
                ], uniquingKeysWith: { $1 })))
            }
        }
        return out
    }

    public static var examples: [CheckExample] {
        let ctl = MetalLBExamples.controller("v0.9.3")
        return [
            CheckExample("pool of one address used by the gateway", raises: ["PH0404"], yaml: MetalLBExamples.join(
                ctl, MetalLBExamples.legacyConfig("192.168.1.240-192.168.1.240"),
                MetalLBExamples.service("istio-ingressgateway", ip: "192.168.1.240"), MetalLBExamples.service("prometheus"))),
            CheckExample("requested address in no pool", raises: ["PH0403"], yaml: MetalLBExamples.join(
                ctl, MetalLBExamples.legacyConfig("192.168.1.240-192.168.1.250"), MetalLBExamples.service("prometheus", requested: "203.0.113.10"))),
            CheckExample("no pool at all", raises: ["PH0402"], yaml: MetalLBExamples.join(
                MetalLBExamples.controller("v0.14.5"), MetalLBExamples.service("prometheus"))),
            CheckExample("pool with free addresses, Service assigned", raises: [], yaml: MetalLBExamples.join(
                ctl, MetalLBExamples.legacyConfig("192.168.1.240-192.168.1.250"),
                MetalLBExamples.service("istio-ingressgateway", ip: "192.168.1.240"), MetalLBExamples.service("prometheus", ip: "192.168.1.241"))),
        ]
    }
}
