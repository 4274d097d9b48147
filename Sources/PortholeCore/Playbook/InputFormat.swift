import Foundation
import PortholeNet

/// What an input's value must look like (`inputs: {x: {format: cidr}}`), checked when it is given (`--var`, `set`)
/// and at load for its default, so a malformed value is refused before porthole writes it into the cluster
/// (a `loadBalancerSourceRanges` of `not-a-cidr`). An empty value always passes: it means "not set".
public enum InputFormat: String, Sendable, Hashable, CaseIterable {
    /// One address block, `198.51.100.7/32` or `2001:db8::/64`.
    case cidr
    /// A TCP port, 1-65535.
    case port

    /// Why `value` does not fit, or nil when it does.
    public func problem(with value: String) -> String? {
        guard !value.isEmpty else { return nil }
        switch self {
        case .cidr:
            return IPv4.isCIDR(value) ? nil : "`\(value)` is not an address block such as 198.51.100.7/32"
        case .port:
            guard let n = Int(value), (1...65535).contains(n) else { return "`\(value)` is not a port (1-65535)" }
            return nil
        }
    }
}
