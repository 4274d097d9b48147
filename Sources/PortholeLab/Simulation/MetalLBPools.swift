import Foundation
import PortholeKube
import PortholeNet

/// One MetalLB address pool, whichever era it was configured in.
struct MetalLBPool: Equatable {
    var name: String
    /// Inclusive host-order address ranges.
    var ranges: [ClosedRange<UInt32>]
    var autoAssign: Bool
    /// Nodes that answer ARP for its addresses; empty = not announced (no L2Advertisement, or BGP).
    var announcingNodes: [String]

    func contains(_ ip: String) -> Bool {
        guard let v = IPv4.value(ip) else { return false }
        return ranges.contains { $0.contains(v) }
    }

    var addresses: [String] { ranges.flatMap { r in r.lazy.prefix(4096).map(MetalLBPool.text) } }

    static func text(_ v: UInt32) -> String { "\(v >> 24).\((v >> 16) & 255).\((v >> 8) & 255).\(v & 255)" }

    /// `A-B`, `A - B`, or a CIDR (`/32` included). Nil for text MetalLB would reject.
    static func range(_ text: String) -> ClosedRange<UInt32>? {
        let t = text.replacingOccurrences(of: " ", with: "")
        if let dash = t.firstIndex(of: "-") {
            guard let a = IPv4.value(String(t[..<dash])), let b = IPv4.value(String(t[t.index(after: dash)...])), a <= b else { return nil }
            return a...b
        }
        let parts = t.split(separator: "/")
        guard let base = IPv4.value(String(parts[0])) else { return nil }
        let bits = parts.count > 1 ? Int(parts[1]) ?? -1 : 32
        guard (0...32).contains(bits) else { return nil }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
        return (base & mask)...((base & mask) | ~mask)
    }
}

/// Reads MetalLB's configuration as the installed version does: <= 0.12 the ConfigMap
/// `metallb-system/config`; >= 0.13 only `IPAddressPool` and `L2Advertisement` objects.
enum MetalLBConfig {
    /// True for the ConfigMap era (0.x with x <= 12).
    static func isLegacy(_ version: String) -> Bool {
        let parts = version.trimmingCharacters(in: CharacterSet(charactersIn: "v")).split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return false }
        return parts[0] == 0 && parts[1] <= 12
    }

    static func pools(store: ObjectStore, metallb: LabTopology.MetalLB, nodes: [LabTopology.Node]) -> [MetalLBPool] {
        let eligible = nodes.filter { $0.labels?["node.kubernetes.io/exclude-from-external-load-balancers"] == nil }.map(\.name)
        return isLegacy(metallb.version) ? legacyPools(store: store, nodes: eligible) : crdPools(store: store, nodes: nodes, eligible: eligible)
    }

    private static func legacyPools(store: ObjectStore, nodes: [String]) -> [MetalLBPool] {
        guard let cm = store.get(ObjectRef(Kinds.configMaps, namespace: "metallb-system", name: "config")),
              let text = cm["data"]?["config"]?.stringValue,
              let config = try? JSONValue.yaml(text) else { return [] }
        return (config["address-pools"]?.array ?? []).map { p in
            MetalLBPool(name: p["name"]?.stringValue ?? "",
                        ranges: (p["addresses"]?.strings ?? []).compactMap(MetalLBPool.range),
                        autoAssign: p["auto-assign"]?.boolValue ?? true,
                        announcingNodes: p["protocol"]?.stringValue == "layer2" ? nodes : [])
        }
    }

    private static func crdPools(store: ObjectStore, nodes: [LabTopology.Node], eligible: [String]) -> [MetalLBPool] {
        let ads = store.list(Kinds.l2Advertisements)
        return store.list(Kinds.ipAddressPools).map { p in
            var announcing = Set<String>()
            for ad in ads where advertises(ad, pool: p) {
                let selectors = ad.spec["nodeSelectors"]?.array ?? []
                for n in nodes where eligible.contains(n.name) {
                    if selectors.isEmpty || selectors.contains(where: { Selector.matches(labelSelector: $0, n.labels ?? [:]) }) { announcing.insert(n.name) }
                }
            }
            return MetalLBPool(name: p.name,
                               ranges: (p.spec["addresses"]?.strings ?? []).compactMap(MetalLBPool.range),
                               autoAssign: p.spec["autoAssign"]?.boolValue ?? true,
                               announcingNodes: announcing.sorted())
        }
    }

    /// An L2Advertisement with neither pool names nor pool selectors advertises every pool.
    private static func advertises(_ ad: JSONValue, pool: JSONValue) -> Bool {
        let names = ad.spec["ipAddressPools"]?.strings ?? []
        let selectors = ad.spec["ipAddressPoolSelectors"]?.array ?? []
        if names.isEmpty && selectors.isEmpty { return true }
        return names.contains(pool.name) || selectors.contains { Selector.matches(labelSelector: $0, pool.labels) }
    }
}
