import Foundation
import PortholeKube

/// Why objects could not become a snapshot.
public enum SnapshotError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The JSON is not a kubectl `List` (or a single object) with `items`.
    case notAList(detail: String)
    /// A manifest document (1-based index, line) has no `apiVersion` or `kind`.
    case missingKind(document: Int, line: Int)

    public var description: String {
        switch self {
        case .notAList(let d): return "not a kubectl List: \(d)"
        case .missingKind(let doc, let line): return "document \(doc) (line \(line)) has no apiVersion or kind"
        }
    }
}

public extension ClusterSnapshot {
    /// A snapshot from kubectl's `get a,b,c -A -o json` output: a `List` whose items carry apiVersion and kind.
    /// `collected`: the kinds that were asked for (absent objects of those kinds do not exist).
    init(listJSON: JSONValue, served: Set<KindKey>? = nil, collected: Set<KindKey>? = nil) throws {
        self.init(servedKinds: served, collectedKinds: collected)
        let items: [JSONValue]
        if let list = listJSON["items"]?.arrayValue {
            items = list
        } else if listJSON["kind"]?.stringValue != nil, listJSON["metadata"] != nil {
            items = [listJSON]
        } else {
            throw SnapshotError.notAList(detail: "no items array")
        }
        for item in items { try add(item, document: 0, line: 0) }
        for kind in collected ?? [] where objects[kind] == nil { objects[kind] = [] }
    }

    /// A snapshot from multi-document YAML manifests (offline `check -f`); `List` documents are unfolded.
    /// Objects without a namespace are placed in `defaultNamespace` when their kind is namespaced.
    init(manifests text: String, defaultNamespace: String = "default") throws {
        self.init()
        for (index, doc) in try JSONValue.yamlDocuments(text).enumerated() {
            let line = SourceMark(doc.node.mark).line
            if doc.value.isNull { continue }
            let members = doc.value["kind"]?.stringValue?.hasSuffix("List") == true ? (doc.value["items"]?.arrayValue ?? []) : [doc.value]
            for var obj in members {
                if obj["metadata"]?["namespace"] == nil, !KubeObject.clusterScopedKinds.contains(obj["kind"]?.stringValue ?? "") {
                    var meta = obj["metadata"] ?? [:]
                    meta["namespace"] = .string(defaultNamespace)
                    obj["metadata"] = meta
                }
                try add(obj, document: index + 1, line: line)
                fromManifests.insert(KubeObject(obj).reference)
            }
        }
    }

    private mutating func add(_ obj: JSONValue, document: Int, line: Int) throws {
        guard let apiVersion = obj["apiVersion"]?.stringValue, let kind = obj["kind"]?.stringValue else {
            throw SnapshotError.missingKind(document: document, line: line)
        }
        objects[KindKey(apiVersion: apiVersion, kind: kind), default: []].append(obj)
    }
}
