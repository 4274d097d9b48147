import Foundation
import PortholeKube
import PortholeNet
import Yams

/// A scenario file read and checked: the lab document and the Kubernetes objects to store.
public struct LoadedScenario: Sendable {
    public var file: String
    public var topology: LabTopology
    /// Objects in file order (namespaces the objects need come first), not yet admitted or stamped.
    public var objects: [(ref: ObjectRef, object: JSONValue, mark: SourceMark)]
}

/// Reads a multi-document scenario: Kubernetes objects plus exactly one lab document.
///
/// The lab document's fields are its top-level keys besides `apiVersion` and `kind` (no `spec:`):
/// ```yaml
/// apiVersion: porthole.dev/v1
/// kind: LabScenario
/// name: notes
/// environment: cloud
/// kubernetes: {version: "1.14"}
/// nodes: [...]
/// ```
/// Unknown keys, wrong types and addresses outside 127.0.0.0/8 fail with FILE:LINE:COLUMN and the key path.
public enum ScenarioLoader {
    public static func load(_ nameOrPath: String) throws -> LoadedScenario {
        let file = try ScenarioLocator.locate(nameOrPath)
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch { throw ScenarioError.unreadable(file: file, detail: "\(error)") }
        return try parse(text, file: file)
    }

    public static func parse(_ text: String, file: String) throws -> LoadedScenario {
        let docs: [(value: JSONValue, node: Node)]
        do {
            docs = try JSONValue.yamlDocuments(text)
        } catch YAMLValueError.syntax(let mark, let detail) {
            throw ScenarioError.syntax(file: file, mark: mark, detail: detail)
        } catch YAMLValueError.unsupported(let mark, let detail) {
            throw ScenarioError.syntax(file: file, mark: mark, detail: detail)
        }
        let labDocs = docs.filter { $0.value["kind"]?.stringValue == "LabScenario" }
        guard labDocs.count == 1, let lab = labDocs.first else { throw ScenarioError.labDocumentCount(file: file, found: labDocs.count) }
        let topology = try LabDocument.decode(lab.value, node: lab.node, file: file)
        let catalog = ResourceCatalog(topology: topology)
        var objects: [(ObjectRef, JSONValue, SourceMark)] = []
        for d in docs where d.value["kind"]?.stringValue != "LabScenario" && !d.value.isNull {
            objects.append(try object(d.value, node: d.node, catalog: catalog, file: file))
        }
        return LoadedScenario(file: file, topology: topology, objects: withNamespaces(objects))
    }

    static func object(_ v: JSONValue, node: Node, catalog: ResourceCatalog, file: String) throws -> (ObjectRef, JSONValue, SourceMark) {
        let mark = SourceMark(node.mark)
        guard let apiVersion = v["apiVersion"]?.stringValue, let kind = v["kind"]?.stringValue else {
            throw ScenarioError.badObject(file: file, mark: mark, detail: "a Kubernetes object needs apiVersion and kind")
        }
        guard let name = v["metadata"]?["name"]?.stringValue, !name.isEmpty else {
            throw ScenarioError.badObject(file: file, mark: mark, detail: "\(kind) needs metadata.name")
        }
        guard let r = catalog.resource(apiVersion: apiVersion, kind: kind) else {
            throw ScenarioError.badObject(file: file, mark: mark,
                                          detail: "\(apiVersion) \(kind) is not served by this scenario's cluster (check components)")
        }
        // A field the cluster's API would drop is a mistake in the scenario: say where it is.
        if let unknown = FieldValidation.unknownFields(v, kind: r.kind).first {
            let path = LabDocument.parsePath(unknown)
            throw ScenarioError.unknownKey(file: file, mark: LabDocument.mark(node, path, keyMark: true), keyPath: "\(kind) \(name): \(unknown)")
        }
        do { try FieldTypes.check(v, resource: r, version: apiVersion) } catch let e as APIError {
            throw ScenarioError.badObject(file: file, mark: mark, detail: "\(kind) \(name): \(e.message)")
        }
        var o = v
        let ns = r.namespaced ? (v["metadata"]?["namespace"]?.stringValue ?? "default") : ""
        if r.namespaced { o["metadata"]?["namespace"] = .string(ns) }
        return (ObjectRef(r.key, namespace: ns, name: name), o, mark)
    }

    /// Adds the namespaces objects live in (and the ones every cluster has) when the file does not declare them.
    static func withNamespaces(_ objects: [(ObjectRef, JSONValue, SourceMark)]) -> [(ref: ObjectRef, object: JSONValue, mark: SourceMark)] {
        let nsKey = ResourceKey(group: "", resource: "namespaces")
        let declared = Set(objects.filter { $0.0.key == nsKey }.map { $0.0.name })
        var wanted = ["default", "kube-system", "kube-public", "kube-node-lease"]
        for o in objects where !o.0.namespace.isEmpty && !wanted.contains(o.0.namespace) { wanted.append(o.0.namespace) }
        var out: [(ref: ObjectRef, object: JSONValue, mark: SourceMark)] = []
        for ns in wanted where !declared.contains(ns) {
            out.append((ObjectRef(nsKey, namespace: "", name: ns),
                        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]], SourceMark(line: 0, column: 0)))
        }
        // Declared namespaces first too, so every object finds its namespace when stored in order.
        out += objects.filter { $0.0.key == nsKey }.map { (ref: $0.0, object: $0.1, mark: $0.2) }
        out += objects.filter { $0.0.key != nsKey }.map { (ref: $0.0, object: $0.1, mark: $0.2) }
        return out
    }
}
