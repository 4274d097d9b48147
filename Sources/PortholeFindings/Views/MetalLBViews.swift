import Foundation
import PortholeKube

/// An address pool as MetalLB sees it, from either configuration era.
public struct AddressPool: Sendable, Hashable {
    public var name: String
    /// `A-B` ranges and CIDRs as written.
    public var addresses: [String]
    /// `layer2`, `bgp`, or nil for a CRD pool (the advertisements decide).
    public var protocolName: String?
    public var autoAssign: Bool
    public var reference: ObjectReference
    public var field: String

    /// True when `ip` falls in one of this pool's ranges or CIDRs.
    public func contains(_ ip: String) -> Bool { addresses.contains { IPv4.range($0)?.contains(ip) ?? false } }
    /// How many IPv4 addresses the pool holds (ranges that do not parse count zero).
    public var size: Int { addresses.reduce(0) { $0 + (IPv4.range($1)?.count ?? 0) } }
}

/// MetalLB's legacy configuration (<= 0.12): ConfigMap `config` in `metallb-system`, key `config`.
public struct MetalLBLegacyConfig: Sendable {
    public let configMap: ConfigMap
    public let pools: [AddressPool]
    /// Set when the embedded YAML does not parse.
    public let parseError: String?

    /// Reads a ConfigMap; nil when it is not MetalLB's legacy configuration.
    public init?(_ cm: ConfigMap) {
        guard cm.name == "config", cm.namespace.contains("metallb"), let text = cm.data["config"] else { return nil }
        configMap = cm
        do {
            let doc = try JSONValue.yaml(text)
            pools = (doc["address-pools"]?.arrayValue ?? []).enumerated().map { i, p in
                AddressPool(name: p["name"]?.stringValue ?? "pool\(i)",
                            addresses: (p["addresses"]?.arrayValue ?? []).compactMap { $0.stringValue },
                            protocolName: p["protocol"]?.stringValue,
                            autoAssign: p["auto-assign"]?.boolValue ?? true,
                            reference: cm.object.reference, field: "data.config: address-pools[\(i)]")
            }
            parseError = nil
        } catch {
            pools = []
            parseError = "\(error)"
        }
    }
}

/// A read-only view of MetalLB's `IPAddressPool` (>= 0.13).
public struct IPAddressPool: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }
    public var pool: AddressPool {
        AddressPool(name: object.name, addresses: (object.spec["addresses"]?.arrayValue ?? []).compactMap { $0.stringValue },
                    protocolName: nil, autoAssign: object.spec["autoAssign"]?.boolValue ?? true,
                    reference: object.reference, field: "spec.addresses")
    }
}

/// A read-only view of MetalLB's `L2Advertisement` or `BGPAdvertisement`.
public struct MetalLBAdvertisement: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }
    public var isLayer2: Bool { object.kind == "L2Advertisement" }
    public var poolNames: [String] { (object.spec["ipAddressPools"]?.arrayValue ?? []).compactMap { $0.stringValue } }
    public var poolSelectors: [JSONValue] { object.spec["ipAddressPoolSelectors"]?.arrayValue ?? [] }
    public var nodeSelectors: [JSONValue] { object.spec["nodeSelectors"]?.arrayValue ?? [] }

    /// True when this advertisement announces the pool (no pool list and no selector = every pool).
    public func covers(_ pool: IPAddressPool) -> Bool {
        if poolNames.isEmpty && poolSelectors.isEmpty { return true }
        if poolNames.contains(pool.object.name) { return true }
        return poolSelectors.contains { LabelSelector.matches(selector: $0, labels: pool.object.labels) }
    }

    /// True when `node` may announce under this advertisement.
    public func allows(_ node: Node) -> Bool {
        nodeSelectors.isEmpty || nodeSelectors.contains { LabelSelector.matches(selector: $0, labels: node.labels) }
    }
}
