import Foundation
import PortholeKube

/// A minimal `/openapi/v3`: the index of group-versions and, per group-version, one PATCH operation per
/// kind carrying `x-kubernetes-group-version-kind` and the `fieldValidation`/`dryRun` parameters.
///
/// No schemas: kubectl then computes client-side apply patches from its compiled-in types.
/// That is what kubectl's query-parameter verifier looks for before it sends `fieldValidation=Strict`
/// and skips client-side schema validation; without it `create -f`/`apply` would need full schemas.
struct OpenAPI {
    let catalog: ResourceCatalog

    private var groupVersions: [(group: String, version: String)] {
        var out: [(String, String)] = []
        for r in catalog.resources {
            for v in r.versions where !out.contains(where: { $0 == (r.group, v) }) { out.append((r.group, v)) }
        }
        return out
    }

    static func path(group: String, version: String) -> String { group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)" }

    var index: JSONValue {
        var paths: [String: JSONValue] = [:]
        for (g, v) in groupVersions {
            let p = Self.path(group: g, version: v)
            paths[p] = ["serverRelativeURL": .string("/openapi/v3/\(p)?hash=porthole-lab")]
        }
        return ["paths": .object(paths)]
    }

    func document(group: String, version: String) -> JSONValue? {
        let rs = catalog.resources(group: group, version: version)
        guard !rs.isEmpty else { return nil }
        let params: [JSONValue] = ["dryRun", "fieldManager", "fieldValidation", "force"].map {
            ["name": .string($0), "in": "query", "schema": ["type": "string", "uniqueItems": true]]
        }
        var paths: [String: JSONValue] = [:]
        let base = "/" + Self.path(group: group, version: version)
        for r in rs {
            let gvk: JSONValue = ["group": .string(r.group), "version": .string(version), "kind": .string(r.kind)]
            let p = r.namespaced ? "\(base)/namespaces/{namespace}/\(r.plural)/{name}" : "\(base)/\(r.plural)/{name}"
            paths[p] = ["patch": ["operationId": .string("patch\(r.kind)"), "x-kubernetes-action": "patch",
                                  "x-kubernetes-group-version-kind": gvk, "parameters": .array(params),
                                  "responses": ["200": ["description": "OK"]]]]
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.4"], "paths": .object(paths),
                "components": ["schemas": [:]]]
    }
}
