import Foundation

/// One served resource, as `kubectl api-resources` lists it.
public struct APIResource: Sendable, Hashable, Codable {
    public var plural: String
    /// Empty for the core group.
    public var group: String
    public var version: String
    public var kind: String
    public var namespaced: Bool

    public init(plural: String, group: String, version: String, kind: String, namespaced: Bool) {
        self.plural = plural
        self.group = group
        self.version = version
        self.kind = kind
        self.namespaced = namespaced
    }

    /// `plural.version.group` (resolved from kubectl's discovery cache without a rediscovery) or `plural`.
    public var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(version).\(group)" }
}

/// The served resources, read from the table `kubectl api-resources` prints
/// (NAME, SHORTNAMES, APIVERSION, NAMESPACED, KIND), which gives plural, preferred version and kind in one call.
public struct APIResources: Sendable, Hashable {
    public var all: [APIResource]

    public init(_ all: [APIResource]) { self.all = all }

    /// Parses the table by its header's column offsets (SHORTNAMES is often empty).
    public static func parse(table: String) -> APIResources? {
        let lines = table.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let header = lines.first, let apiCol = header.range(of: "APIVERSION")?.lowerBound,
              let nsCol = header.range(of: "NAMESPACED")?.lowerBound, let kindCol = header.range(of: "KIND")?.lowerBound else { return nil }
        let a = header.distance(from: header.startIndex, to: apiCol)
        let n = header.distance(from: header.startIndex, to: nsCol)
        let k = header.distance(from: header.startIndex, to: kindCol)
        var out: [APIResource] = []
        for line in lines.dropFirst() {
            let chars = Array(line)
            func field(_ from: Int, _ to: Int?) -> String {
                guard from < chars.count else { return "" }
                let end = min(to ?? chars.count, chars.count)
                return String(chars[from..<end]).trimmingCharacters(in: .whitespaces)
            }
            let name = String(line.split(separator: " ").first ?? "")
            let apiVersion = field(a, n)
            let parts = apiVersion.split(separator: "/").map(String.init)
            out.append(APIResource(plural: name, group: parts.count == 2 ? parts[0] : "", version: parts.last ?? "",
                                   kind: field(k, nil), namespaced: field(n, k) == "true"))
        }
        return APIResources(out)
    }

    /// Resolves what a playbook wrote (`services`, `svc`-less plural, `gateways.networking.istio.io`,
    /// `gateways.v1beta1.networking.istio.io`, or a Kind) to a served resource, or nil.
    public func resolve(_ written: String) -> APIResource? {
        let parts = written.split(separator: ".", maxSplits: 1).map(String.init)
        let plural = parts[0].lowercased()
        let rest = parts.count > 1 ? parts[1] : ""
        let candidates = all.filter { $0.plural == plural || $0.kind.lowercased() == plural }
        if rest.isEmpty { return candidates.first { $0.group.isEmpty } ?? candidates.first }
        if let exact = candidates.first(where: { $0.group == rest }) { return exact }
        // plural.version.group: any served version of the group answers (kubectl converts).
        let vg = rest.split(separator: ".", maxSplits: 1).map(String.init)
        if vg.count == 2, var r = candidates.first(where: { $0.group == vg[1] }) {
            r.version = vg[0]
            return r
        }
        return nil
    }
}
