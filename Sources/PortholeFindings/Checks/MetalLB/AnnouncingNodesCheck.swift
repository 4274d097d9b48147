import Foundation
import PortholeKube

extension FindingDefinition {
    static let noAnnouncingNode = FindingDefinition(
        code: "PH0407", level: .error, title: "NoNodeCanAnnounce",
        template: "{object}: no node can announce its MetalLB layer2 address: {reason}",
        cause: "MetalLB speakers skip nodes labelled node.kubernetes.io/exclude-from-external-load-balancers and nodes outside an L2Advertisement's nodeSelectors; with externalTrafficPolicy: Local only nodes with a ready endpoint announce.",
        fix: "{fix}")
}

/// Layer2 addresses no node may announce: every node excluded, or Local policy endpoints only on excluded nodes.
public enum AnnouncingNodesCheck: FindingCheck {
    public static let id = "metallb-no-announcing-node"
    public static var definitions: [FindingDefinition] { [.noAnnouncingNode] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let m = MetalLBFacts(s)
        let nodes = s.nodes
        guard m.installed, !nodes.isEmpty, !PoolSegmentCheck.layer2Pools(m).isEmpty else { return [] }
        let l2 = m.advertisements.filter(\.isLayer2)
        let eligible = nodes.filter { n in !n.excludedFromLoadBalancers && (l2.isEmpty || l2.contains { $0.allows(n) }) }
        var out: [Finding] = []
        if eligible.isEmpty {
            let excluded = nodes.filter(\.excludedFromLoadBalancers).map(\.name)
            let object = l2.first?.object.reference ?? m.legacy?.configMap.object.reference ?? m.crdPools.first?.object.reference
            let reason = excluded.count == nodes.count
                ? "every node (\(excluded.joined(separator: ", "))) is labelled node.kubernetes.io/exclude-from-external-load-balancers"
                : "no node matches the L2Advertisement spec.nodeSelectors"
            let fix = excluded.count == nodes.count
                ? "kubectl label node \(excluded[0]) node.kubernetes.io/exclude-from-external-load-balancers-"
                : "widen spec.nodeSelectors of the L2Advertisement to match a node (kubectl get nodes --show-labels)"
            out.append(FindingDefinition.noAnnouncingNode.make(object, ["object": .value(object?.description ?? "MetalLB"), "reason": .value(reason), "fix": .value(fix)]))
            return out
        }
        guard s.knows(.pod) else { return out }
        let eligibleNames = Set(eligible.map(\.name))
        for svc in s.services where svc.type == "LoadBalancer" && svc.externalTrafficPolicy == "Local" {
            let podNodes = Set(s.pods(selectedBy: svc).compactMap(\.nodeName))
            guard !podNodes.isEmpty, podNodes.isDisjoint(with: eligibleNames) else { continue }
            out.append(FindingDefinition.noAnnouncingNode.make(svc.reference, field: "spec.externalTrafficPolicy", [
                "object": .value(svc.reference.description),
                "reason": .value("externalTrafficPolicy is Local and its pods run only on nodes that may not announce (\(podNodes.sorted().joined(separator: ", ")))"),
                "fix": .value("set spec.externalTrafficPolicy: Cluster on \(svc.reference), or schedule a pod on a node that announces"),
            ]))
        }
        return out
    }

    public static var examples: [CheckExample] {
        let ctl = MetalLBExamples.controller("v0.14.5")
        let excluded = "{node.kubernetes.io/exclude-from-external-load-balancers: \"\"}"
        return [
            CheckExample("the only node is excluded", raises: ["PH0407"], yaml: MetalLBExamples.join(
                ctl, MetalLBExamples.node(labels: excluded), MetalLBExamples.pool("192.168.1.240-192.168.1.250"), MetalLBExamples.l2)),
            CheckExample("one of two nodes excluded", raises: [], yaml: MetalLBExamples.join(
                ctl, MetalLBExamples.node(labels: excluded), MetalLBExamples.node("node-2", ip: "192.168.1.11"),
                MetalLBExamples.pool("192.168.1.240-192.168.1.250"), MetalLBExamples.l2)),
        ]
    }
}
