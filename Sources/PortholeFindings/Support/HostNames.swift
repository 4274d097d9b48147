import Foundation

/// How Istio and Kubernetes read service host names.
public enum HostNames {
    /// The Service a host names, resolved as Istio does from `namespace`: a short name stays in that namespace,
    /// `name.ns`, `name.ns.svc` and `name.ns.svc.<domain>` name `ns`. Nil for hosts that are not Service names.
    public static func service(_ host: String, from namespace: String, clusterDomain: String = "cluster.local") -> (name: String, namespace: String)? {
        if host.contains("*") || host.isEmpty { return nil }
        let parts = host.split(separator: ".").map(String.init)
        switch parts.count {
        case 1: return (parts[0], namespace)
        case 2: return (parts[0], parts[1])
        case 3 where parts[2] == "svc": return (parts[0], parts[1])
        default:
            if parts.count > 3, parts[2] == "svc", parts[3...].joined(separator: ".") == clusterDomain { return (parts[0], parts[1]) }
            return nil
        }
    }

    /// True when two host patterns (each may start with `*`) can match a common name.
    public static func intersect(_ a: String, _ b: String) -> Bool {
        let x = a.lowercased(), y = b.lowercased()
        if x == "*" || y == "*" || x == y { return true }
        if x.hasPrefix("*"), y.hasPrefix("*") {
            let sx = x.dropFirst(), sy = y.dropFirst()
            return sx.hasSuffix(sy) || sy.hasSuffix(sx)
        }
        if x.hasPrefix("*") { return y.hasSuffix(x.dropFirst()) }
        if y.hasPrefix("*") { return x.hasSuffix(y.dropFirst()) }
        return false
    }

    /// A Gateway server host entry split into its namespace part (`.`, `*`, a name, or nil) and the host.
    public static func splitServerHost(_ entry: String) -> (namespace: String?, host: String) {
        guard let slash = entry.firstIndex(of: "/") else { return (nil, entry) }
        return (String(entry[..<slash]), String(entry[entry.index(after: slash)...]))
    }
}
