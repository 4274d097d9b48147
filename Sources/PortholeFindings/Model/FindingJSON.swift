import Foundation
import PortholeKube

public extension Finding {
    /// The finding as a JSON document for probe results, transcripts and `--format json`:
    /// `{code, level, title, message, cause, fix, doc, object, field, suppressed}` (`object` as `kind namespace/name`).
    var jsonValue: JSONValue {
        var o: [String: JSONValue] = [
            "code": .string(code), "level": .string(level.rawValue), "title": .string(title), "message": .string(message),
            "cause": .string(cause), "fix": .string(fix), "doc": .string(doc),
        ]
        if let object { o["object"] = .string(object.description) }
        if let field { o["field"] = .string(field) }
        if let s = suppression {
            var sup: [String: JSONValue] = ["reason": .string(s.reason), "source": .string(s.source)]
            if let until = s.until { sup["until"] = .string(until) }
            o["suppressed"] = .object(sup)
        }
        return .object(o)
    }
}

public extension Array where Element == Finding {
    /// The result document of a playbook `findings` probe: `{raised: [codes], findings: [...]}`.
    /// Suppressed findings are listed (marked) but their codes are not in `raised`.
    var probeDocument: JSONValue {
        let raised = Set(filter { !$0.isSuppressed }.map(\.code)).sorted()
        return ["raised": .array(raised.map { .string($0) }), "findings": .array(map(\.jsonValue))]
    }
}
