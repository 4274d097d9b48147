import Foundation
import PortholeKube

/// The API groups a cluster served the last time porthole asked, kept per server and context in
/// `$XDG_CACHE_HOME/porthole/discovery/` (XDG default `~/.cache`), so that the batched read can start at
/// once, alongside the discovery that confirms it, instead of one round trip later.
///
/// Only ever a guess: `SnapshotSource` uses the early read only when that run's own discovery names the
/// very same resources, so a stale memory costs one batched read, never a wrong snapshot. It is a cache:
/// a file that cannot be read or written is the same as no memory.
struct DiscoveryMemory: Sendable {
    let path: String
    let files: FileSystem

    /// Nil when the kubeconfig names no server (nothing to key the memory on).
    init?(kube: KubeOptions, context: PortholeContext) {
        guard let summary = try? KubeconfigFile.summary(kube, context: context), let server = summary.server else { return nil }
        let env = context.environment
        let cache = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(env["HOME"] ?? NSTemporaryDirectory())/.cache"
        path = "\(cache)/porthole/discovery/\(Self.fileName(server: server, context: summary.context ?? ""))"
        files = context.files
    }

    /// The group list remembered for this server, or nil.
    func recall() -> JSONValue? {
        guard files.exists(path), let data = try? files.read(path), let list = try? JSONValue.parse(data),
              list["groups"]?.arrayValue != nil else { return nil }
        return list
    }

    /// Remembers the groups porthole knows out of `groupList` (a `/apis` APIGroupList); other groups do not
    /// change which resources it reads, so they are not kept. Written atomically; failures are ignored.
    func remember(_ groupList: JSONValue) {
        let kept = Self.knownGroups(groupList)
        guard kept != recall() else { return }
        try? files.createDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        try? files.write(path, Data(kept.compactJSON.utf8))
    }

    /// `groupList` reduced to the groups `KnownResources` reads, each with its served versions.
    static func knownGroups(_ groupList: JSONValue) -> JSONValue {
        let known = Set(KnownResources.table.map(\.1))
        let groups = (groupList["groups"]?.arrayValue ?? []).compactMap { g -> JSONValue? in
            guard let name = g["name"]?.stringValue, known.contains(name) else { return nil }
            let versions = (g["versions"]?.arrayValue ?? []).compactMap { $0["version"]?.stringValue }
            return ["name": .string(name), "versions": .array(versions.map { ["version": .string($0)] })]
        }
        return ["groups": .array(groups)]
    }

    /// A readable, collision-safe file name: the server's host and port, then a hash of server and context.
    static func fileName(server: String, context: String) -> String {
        let host = server.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
            .map { $0.isLetter || $0.isNumber || "-.".contains($0) ? $0 : "_" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, stable across runs (Swift's Hasher is seeded per process)
        for byte in "\(server)|\(context)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "\(String(host.prefix(80)))-\(String(hash, radix: 16)).json"
    }
}
