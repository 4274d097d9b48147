import Foundation
import PortholeFindings
import PortholeKube

/// PortholeFindings' catalog behind Core's lookup protocol.
public struct BuiltInCatalog: FindingCatalogLookup {
    public init() {}
    public func knows(code: String) -> Bool { FindingCatalog.lookup(code) != nil }
    public func info(code: String) -> FindingInfo? {
        guard let d = FindingCatalog.lookup(code) else { return nil }
        return FindingInfo(code: d.code, level: VerdictLevel(d.level), title: d.title, cause: d.cause, fix: d.fixTemplate, docLink: d.docPath)
    }
}

/// PortholeFindings' checks run over Core's snapshot (the same batched read the object probes use).
public struct BuiltInChecks: FindingCheckRunner {
    let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) { self.now = now }

    /// Every standard kind, written `Kind.group` (resolved against discovery like any resource name).
    public var resources: [String] { KindKey.standard.sorted().map { $0.description.lowercased() } }

    /// Core's batched read as PortholeFindings' snapshot: every kind read counts as served and collected.
    public static func clusterSnapshot(_ snapshot: ObjectSnapshot) -> ClusterSnapshot {
        var kinds: Set<KindKey> = []
        for r in snapshot.resources.values { kinds.insert(KindKey(r.kind, group: r.group)) }
        // One object without apiVersion or kind must not empty the whole snapshot: that would turn a bad read
        // into "no findings". Such an object cannot be judged; the rest still is.
        let judgeable = snapshot.allObjects.filter { $0["apiVersion"]?.stringValue != nil && $0["kind"]?.stringValue != nil }
        return (try? ClusterSnapshot(listJSON: ["items": .array(judgeable)], served: kinds, collected: kinds)) ?? ClusterSnapshot()
    }

    public func check(snapshot: ObjectSnapshot, namespace: String?, observations: [OutsideObservation]) -> [RaisedFinding] {
        var listed = Self.clusterSnapshot(snapshot)
        listed.observations = observations
        return FindingChecks.run(listed, scope: CheckScope(namespace: namespace, now: now()))
            .filter { !$0.isSuppressed }
            .map { RaisedFinding(code: $0.code, level: VerdictLevel($0.level), message: $0.message, object: $0.object?.description ?? "",
                                 arguments: $0.arguments.mapValues(\.description)) }
    }
}

extension VerdictLevel {
    init(_ level: FindingLevel) {
        switch level {
        case .info: self = .pass
        case .warning: self = .warn
        case .error: self = .fail
        }
    }
}

public extension FindingsService {
    /// The catalog and checks of PortholeFindings: what the CLI and the REPL use.
    static let builtIn = FindingsService(catalog: BuiltInCatalog(), checks: BuiltInChecks())
}
