import Foundation

/// Pure IPv4 arithmetic for pools, segments and requested addresses (this module does no I/O).
public enum IPv4 {
    /// An inclusive range of addresses.
    public struct Range: Sendable, Hashable {
        public var first: UInt32
        public var last: UInt32
        public var count: Int { Int(last) - Int(first) + 1 }
        public func contains(_ ip: String) -> Bool { IPv4.parse(ip).map { $0 >= first && $0 <= last } ?? false }
        public func contains(_ v: UInt32) -> Bool { v >= first && v <= last }
    }

    /// `10.0.0.5` as a number; nil when not a dotted quad.
    public static func parse(_ s: String) -> UInt32? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var v: UInt32 = 0
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt32(p), n <= 255 else { return nil }
            v = v << 8 | n
        }
        return v
    }

    public static func format(_ v: UInt32) -> String {
        "\(v >> 24 & 255).\(v >> 16 & 255).\(v >> 8 & 255).\(v & 255)"
    }

    /// `10.0.0.0/24` as a range; nil when malformed.
    public static func cidr(_ s: String) -> Range? {
        let parts = s.split(separator: "/")
        guard parts.count == 2, let base = parse(String(parts[0])), let len = Int(parts[1]), (0...32).contains(len) else { return nil }
        let mask: UInt32 = len == 0 ? 0 : ~UInt32(0) << UInt32(32 - len)
        return Range(first: base & mask, last: (base & mask) | ~mask)
    }

    /// The network of a CIDR written with a host address: `10.0.0.5/24` -> `10.0.0.0/24`.
    public static func networkCIDR(_ s: String) -> String? {
        guard let r = cidr(s), let len = s.split(separator: "/").last else { return nil }
        return "\(format(r.first))/\(len)"
    }

    /// A MetalLB pool entry: `A-B`, `A - B`, a CIDR, or one address.
    public static func range(_ s: String) -> Range? {
        let t = s.replacingOccurrences(of: " ", with: "")
        if t.contains("/") { return cidr(t) }
        let ends = t.split(separator: "-").map(String.init)
        if ends.count == 2, let a = parse(ends[0]), let b = parse(ends[1]), a <= b { return Range(first: a, last: b) }
        if ends.count == 1, let a = parse(ends[0]) { return Range(first: a, last: a) }
        return nil
    }

    /// True for RFC 1918, loopback, link-local and CGNAT addresses (not routed on the internet).
    public static func isPrivate(_ ip: String) -> Bool {
        guard let v = parse(ip) else { return false }
        let blocks = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10"]
        return blocks.contains { cidr($0)!.contains(v) }
    }
}
