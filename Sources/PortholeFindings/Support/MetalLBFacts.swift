import Foundation
import PortholeKube

/// What the snapshot says about MetalLB: installed or not, version, configuration era, pools.
public struct MetalLBFacts: Sendable {
    /// The configuration MetalLB reads.
    public enum Era: String, Sendable { case legacyConfigMap, crds, unknown }

    public var installed: Bool
    /// `(major, minor)` from the controller image tag, when readable.
    public var version: (major: Int, minor: Int)?
    public var versionText: String?
    public var era: Era
    public var legacy: MetalLBLegacyConfig?
    public var crdPools: [IPAddressPool]
    public var advertisements: [MetalLBAdvertisement]
    /// Pools MetalLB actually uses, for its era.
    public var activePools: [AddressPool]

    public init(_ s: ClusterSnapshot) {
        let mlbPods = s.pods.filter { p in
            p.images.contains { $0.contains("metallb") && ($0.contains("controller") || $0.contains("speaker")) }
                || p.labels["app"] == "metallb" || p.labels["app.kubernetes.io/name"] == "metallb"
        }
        legacy = s.configMaps.lazy.compactMap(MetalLBLegacyConfig.init).first
        crdPools = s.items(.ipAddressPool).map(IPAddressPool.init)
        advertisements = (s.items(.l2Advertisement) + s.items(.bgpAdvertisement)).map(MetalLBAdvertisement.init)
        let tags = mlbPods.flatMap { $0.images }.compactMap { img -> String? in
            guard img.contains("metallb"), let colon = img.lastIndex(of: ":") else { return nil }
            return String(img[img.index(after: colon)...])
        }
        versionText = tags.first
        version = tags.first.flatMap(MetalLBFacts.parseVersion)
        installed = !mlbPods.isEmpty || s.serves(.ipAddressPool) == true || legacy != nil
        if let v = version {
            era = (v.major, v.minor) >= (0, 13) ? .crds : .legacyConfigMap
        } else if s.serves(.ipAddressPool) == true || !crdPools.isEmpty {
            era = .crds
        } else if legacy != nil {
            era = .legacyConfigMap
        } else {
            era = .unknown
        }
        switch era {
        case .crds: activePools = crdPools.map(\.pool)
        case .legacyConfigMap: activePools = legacy?.pools ?? []
        case .unknown: activePools = crdPools.map(\.pool) + (legacy?.pools ?? [])
        }
    }

    /// `v0.13.7` -> (0, 13).
    static func parseVersion(_ tag: String) -> (Int, Int)? {
        let t = tag.hasPrefix("v") ? tag.dropFirst() : Substring(tag)
        let parts = t.split(separator: ".").compactMap { Int($0.prefix { $0.isNumber }) }
        return parts.count >= 2 ? (parts[0], parts[1]) : nil
    }

    /// The active pool holding `ip`, if any.
    public func pool(containing ip: String) -> AddressPool? { activePools.first { $0.contains(ip) } }
}
