import Foundation
import PortholeCore
import PortholeFindings
import PortholeKube

/// The session's one read of the cluster: which context and server (Core's `Preflight`), then every kind
/// the findings checks and the overview need in ONE batched `kubectl get` (Core's `SnapshotSource`).
public struct ClusterReading: Sendable {
    public var info: ClusterInfo
    public var snapshot: ClusterSnapshot
    /// The commands that made the batched read, for the transcript.
    public var commands: [[String]]

    /// Resource names as kubectl takes them: the standard kinds plus CRDs (to tell which APIs exist).
    static let resources: [String] = BuiltInChecks().resources + [KindKey.crd.description.lowercased()]

    /// Reads the cluster; throws `EnvironmentError` when it cannot be reached at all.
    public static func read(_ kube: KubeOptions, context: PortholeContext) async throws -> ClusterReading {
        let source = SnapshotSource(kubectl: Kubectl(options: kube, context: context), resources: resources)
        // The server's version and the snapshot are read at once (each a round trip to a possibly distant
        // server). The preflight's verdict comes first, and an unreachable server is reported without
        // waiting for the snapshot's own (longer) deadline.
        let objects = Task { try await source.snapshot() }
        let info = try await Preflight.check(kube, context: context)
        let o = try await objects.value
        return ClusterReading(info: info, snapshot: clusterSnapshot(o), commands: o.commands)
    }

    /// PortholeFindings' snapshot from Core's: objects by kind; kinds the server does not serve are known absent.
    static func clusterSnapshot(_ o: ObjectSnapshot) -> ClusterSnapshot {
        var objects: [KindKey: [JSONValue]] = [:]
        for item in o.allObjects {
            guard let v = item["apiVersion"]?.stringValue, let k = item["kind"]?.stringValue else { continue }
            objects[KindKey(apiVersion: v, kind: k), default: []].append(item)
        }
        let served = Set(o.resources.values.map { KindKey($0.kind, group: $0.group) })
        return ClusterSnapshot(objects: objects, servedKinds: served, collectedKinds: served)
    }
}
