import Foundation
import PortholeKube

/// `/version` and legacy discovery (`/api`, `/apis`, `/api/v1`, `/apis/G/V`).
///
/// kubectl asks for aggregated discovery first; a plain `APIVersions`/`APIGroupList` answer makes it fall
/// back to per-group-version resource lists without a warning (DOMAIN.md section 8), so that is all we serve.
struct Discovery {
    let catalog: ResourceCatalog
    let serverAddress: String

    /// The dispatcher kubectl picks its binary by the server's minor version: report 1.32.
    static let version: JSONValue = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.4", "gitCommit": "59526cd4867447956156ae3a602fcbac10a2c335",
        "gitTreeState": "clean", "buildDate": "2025-04-22T16:02:27Z", "goVersion": "go1.23.6", "compiler": "gc",
        "platform": "linux/amd64",
    ]

    var coreVersions: JSONValue {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    func group(_ name: String) -> JSONValue? {
        let versions = catalog.resources.filter { $0.group == name }.flatMap(\.versions)
        guard !versions.isEmpty else { return nil }
        var unique: [String] = []
        for v in versions where !unique.contains(v) { unique.append(v) }
        // Newest first, as a real server lists them; the preferred one is the newest.
        let ordered = Array(unique.reversed())
        let entries: [JSONValue] = ordered.map { ["groupVersion": .string("\(name)/\($0)"), "version": .string($0)] }
        return ["kind": "APIGroup", "apiVersion": "v1", "name": .string(name), "versions": .array(entries), "preferredVersion": entries[0]]
    }

    var groupList: JSONValue {
        let groups = catalog.groups.filter { !$0.isEmpty }.compactMap { g -> JSONValue? in
            guard var o = group(g) else { return nil }
            o["kind"] = nil; o["apiVersion"] = nil
            return o
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    /// The `APIResourceList` of one group-version, with status and port-forward subresources.
    func resourceList(group: String, version: String) -> JSONValue? {
        // Alphabetical, as a real server lists them (`kubectl get all` follows this order: pods before services).
        let rs = catalog.resources(group: group, version: version).sorted { $0.plural < $1.plural }
        guard !rs.isEmpty else { return nil }
        var entries: [JSONValue] = []
        for r in rs {
            var e: JSONValue = ["name": .string(r.plural), "singularName": .string(r.singular), "namespaced": .bool(r.namespaced),
                                "kind": .string(r.kind), "verbs": .array(r.verbs.map { .string($0) })]
            if !r.shortNames.isEmpty { e["shortNames"] = .array(r.shortNames.map { .string($0) }) }
            if !r.categories.isEmpty { e["categories"] = .array(r.categories.map { .string($0) }) }
            entries.append(e)
            if r.hasStatus {
                entries.append(["name": .string(r.plural + "/status"), "singularName": "", "namespaced": .bool(r.namespaced),
                                "kind": .string(r.kind), "verbs": ["get", "patch", "update"]])
            }
            if r.plural == "pods" && group.isEmpty {
                entries.append(["name": "pods/portforward", "singularName": "", "namespaced": true, "kind": "PodPortForwardOptions",
                                "verbs": ["create", "get"]])
            }
        }
        let gv = group.isEmpty ? version : "\(group)/\(version)"
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(gv), "resources": .array(entries)]
    }
}
