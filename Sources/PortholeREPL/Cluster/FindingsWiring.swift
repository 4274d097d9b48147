import Foundation
import PortholeCore
import PortholeFindings
import PortholeKube

/// Core's view of PortholeFindings: the catalog for verdicts and `explain`, the checks for `findings` probes.
public enum FindingsWiring {
    /// The catalog and checks wired together, as the session hands them to the engine.
    public static let service = FindingsService(catalog: CatalogLookup(), checks: CheckRunner())

    /// Core's `FindingInfo` for a code of the catalog.
    static func info(_ d: FindingDefinition) -> FindingInfo {
        FindingInfo(code: d.code, level: level(d.level), title: d.title, cause: d.cause, fix: d.fixTemplate, docLink: d.docPath)
    }

    static func level(_ l: FindingLevel) -> VerdictLevel {
        switch l {
        case .error: return .fail
        case .warning: return .warn
        case .info: return .pass
        }
    }

    struct CatalogLookup: FindingCatalogLookup {
        func knows(code: String) -> Bool { FindingCatalog.lookup(code) != nil }
        func info(code: String) -> FindingInfo? { FindingCatalog.lookup(code).map(FindingsWiring.info) }
    }

    struct CheckRunner: FindingCheckRunner {
        var resources: [String] { ClusterReading.resources }
        func check(snapshot: ObjectSnapshot, namespace: String?) -> [RaisedFinding] {
            let s = ClusterReading.clusterSnapshot(snapshot)
            return FindingChecks.run(s, scope: CheckScope(namespace: namespace)).filter { !$0.isSuppressed }.map {
                RaisedFinding(code: $0.code, level: FindingsWiring.level($0.level), message: $0.message,
                              object: $0.object?.description ?? "")
            }
        }
    }
}

/// Every code of the catalog (for `explain` completion).
enum FindingsCatalogCodes {
    static var all: [String] { FindingCatalog.all.map(\.code) }
}
