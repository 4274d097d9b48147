import Foundation
import PortholeFindings
import PortholeKube

/// One read of the cluster for `check`, `plan` and `diagnose`: the preflight, then one batched snapshot
/// covering every kind the checks (and, for a diagnosis, every playbook) read.
public struct ClusterRead: Sendable {
    public var cluster: ClusterInfo
    public var source: SnapshotSource
    public var snapshot: ObjectSnapshot

    /// PortholeFindings' view of the same objects.
    public var findingsSnapshot: ClusterSnapshot { BuiltInChecks.clusterSnapshot(snapshot) }

    public static func read(_ kube: KubeOptions, extraResources: [String] = [], context: PortholeContext,
                            findings: FindingsService, timeout: Double = 5) async throws -> ClusterRead {
        let kubectl = Kubectl(options: kube, context: context)
        let source = SnapshotSource(kubectl: kubectl, resources: (findings.checks?.resources ?? []) + extraResources, timeout: max(timeout, 10))
        // The server's version and the snapshot are read at once (each a round trip to a possibly distant
        // server); the preflight's verdict still comes first, so an unreachable cluster reads as such, and
        // without waiting for the snapshot's own (longer) deadline: an unstructured task is not awaited on error.
        let read = Task { try await source.snapshot() }
        let cluster = try await Preflight.check(kube, context: context, timeout: timeout)
        let snapshot = try await read.value
        return ClusterRead(cluster: cluster, source: source, snapshot: snapshot)
    }
}

/// Manifests given with `-f FILE|DIR` (YAML or JSON), read into one snapshot; errors name the file.
public enum ManifestFiles {
    public static func snapshot(_ paths: [String], files: FileSystem) throws -> ClusterSnapshot {
        var out = ClusterSnapshot()
        for path in try expand(paths, files: files) {
            let text = String(decoding: try files.read(path), as: UTF8.self)
            do {
                out = out.applying(try ClusterSnapshot(manifests: text))
            } catch let YAMLValueError.syntax(mark, detail) {
                throw UsageError("\(path)\(mark.map { ":\($0)" } ?? ""): not valid YAML: \(detail.split(separator: "\n").first ?? "")")
            } catch let e as SnapshotError {
                throw UsageError("\(path): \(e.description)")
            } catch let e as YAMLValueError {
                throw UsageError("\(path): \(e)")
            }
        }
        return out
    }

    /// Files as given; directories contribute their `.yaml`, `.yml` and `.json` files, sorted.
    static func expand(_ paths: [String], files: FileSystem) throws -> [String] {
        var out: [String] = []
        for p in paths {
            guard files.exists(p) else { throw UsageError("\(p): no such file or directory") }
            let inside = files.list(p)
            if inside.isEmpty, (try? files.read(p)) != nil { out.append(p); continue }
            out += inside.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted()
                .map { (p as NSString).appendingPathComponent($0) }
        }
        return out
    }
}
