import Foundation

/// The API groups a partial discovery could not list (`kubectl api-resources` prints what it could and
/// names the rest: "unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: ...").
///
/// A kind missing from a partial table is not "not served": it may live in a group that failed. Taking it
/// for absent would turn a flaky server into false findings, so such a kind makes the read fail instead.
struct DiscoveryGaps: Sendable, Hashable {
    /// "group/version" as kubectl names them.
    var groupVersions: [String]
    var stderr: String

    init(stderr: String) {
        self.stderr = stderr
        guard let r = stderr.range(of: "complete list of server APIs:") else { groupVersions = []; return }
        let tail = String(stderr[r.upperBound...])
        let pattern = try! NSRegularExpression(pattern: "([a-z0-9][a-z0-9.-]*)/(v[0-9][a-z0-9]*): ")
        let ns = tail as NSString
        groupVersions = pattern.matches(in: tail, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range).dropLast(2).description }
    }

    var isEmpty: Bool { groupVersions.isEmpty }

    /// Whether `written` (a name a playbook reads) may belong to a group discovery failed to list.
    func mayHide(_ written: String) -> Bool {
        guard !isEmpty else { return false }
        let parts = written.split(separator: ".").map(String.init)
        // A bare plural or Kind names no group: it could be any of them.
        guard parts.count > 1 else { return true }
        let groups = Set(groupVersions.map { String($0.split(separator: "/")[0]) })
        let group = parts.dropFirst().joined(separator: ".")
        let afterVersion = parts.count > 2 ? parts.dropFirst(2).joined(separator: ".") : group
        return groups.contains(group) || groups.contains(afterVersion)
    }
}
