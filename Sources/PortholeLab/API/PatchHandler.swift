import Foundation
import PortholeKube
import PortholeNet

/// PATCH: JSON patch, merge patch, strategic merge (built-in kinds only), server-side apply (creates when absent).
extension APIServer {
    /// Returns the resulting object, whether it was created (server-side apply of an absent object) and
    /// the unknown-field warnings.
    func patch(_ req: HTTPRequest, _ t: ResourceTarget, dryRun: Bool) throws -> (JSONValue, Bool, [String]) {
        guard let name = t.name else { throw APIError.pathNotFound() }
        let ct = (req.headers["Content-Type"] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let r = ref(t, name: name, namespace: t.namespace)
        let text = String(decoding: req.body, as: UTF8.self)
        let isApply = ct == "application/apply-patch+yaml"
        guard let old = store.get(r) else {
            guard isApply, t.subresource == nil else { throw APIError.notFound(t.resource, name) }
            var parsed = try parseYAML(text)
            parsed["metadata"]?["name"] = .string(name)
            let (body, warnings) = try FieldValidation.apply(parsed, resource: t.resource, version: t.version, mode: req.queryValue("fieldValidation"))
            var createTarget = t
            createTarget.name = nil
            let created = try create(createTarget, body: body, dryRun: dryRun, manager: manager(req))
            if !dryRun { ownership.applied(r, manager: manager(req), applied: body, old: [:], new: created) }
            return (created, true, warnings)
        }
        let current = present(old, t)
        let patched: JSONValue
        var applied: JSONValue? = nil
        switch ct {
        case "application/json-patch+json":
            patched = try JSONPatch.apply(try parseJSON(text), to: current)
        case "application/merge-patch+json":
            patched = MergePatch.apply(try parseJSON(text), to: current)
        case "application/strategic-merge-patch+json":
            guard t.resource.builtIn else {
                throw APIError.unsupportedMediaType("strategic merge patch is not supported for \(t.resource.kind).\(t.resource.group): the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
            }
            patched = try StrategicMerge.apply(try parseJSON(text), to: current)
        case "application/apply-patch+yaml":
            let config = try parseYAML(text)
            if req.queryValue("force") != "true" {
                let conflicts = ownership.conflicts(r, manager: manager(req), applied: config, current: current)
                if !conflicts.isEmpty { throw APIError.applyConflict(conflicts, apiVersion: t.apiVersion) }
            }
            applied = config
            let merged = t.resource.builtIn ? try StrategicMerge.apply(config, to: current) : MergePatch.apply(config, to: current)
            patched = ownership.pruned(r, manager: manager(req), config: config, merged: merged, current: current)
        default:
            throw APIError.unsupportedMediaType("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json")
        }
        let (validated, warnings) = try FieldValidation.apply(patched, resource: t.resource, version: t.version,
                                                              mode: req.queryValue("fieldValidation"))
        if let rv = patched["metadata"]?["resourceVersion"]?.stringValue, !rv.isEmpty, rv != old["metadata"]?["resourceVersion"]?.stringValue {
            throw APIError.conflict(t.resource, name)
        }
        return (try commitUpdate(t, r, old: old, new: validated, dryRun: dryRun, manager: manager(req), applied: applied), false, warnings)
    }

    private func parseJSON(_ text: String) throws -> JSONValue {
        do { return try JSONValue.parse(text) } catch { throw APIError.badRequest("error decoding patch: \(error)") }
    }

    private func parseYAML(_ text: String) throws -> JSONValue {
        do { return try JSONValue.yaml(text) } catch { throw APIError.badRequest("error decoding YAML: \(error)") }
    }
}
