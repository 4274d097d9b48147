import Foundation
import PortholeKube

/// RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge, null deletes, the rest replaces.
enum MergePatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let p) = patch else { return patch }
        var out = target.objectValue ?? [:]
        for (k, v) in p {
            if v.isNull { out[k] = nil } else { out[k] = apply(v, to: out[k] ?? .null) }
        }
        return .object(out)
    }
}
