import Foundation
import PortholeKube

public extension Redactor {
    /// The record as it goes to disk: commands, manifests, errors and the objects before and after, masked.
    /// Undo stays exact: `unmasking(_:from:)` takes each masked field back from the live object.
    func redact(_ r: JournalRecord) -> JournalRecord {
        var x = r
        x.summary = redact(r.summary)
        x.command = r.command?.map(redact)
        x.manifest = r.manifest.map(redact)
        x.error = r.error.map(redact)
        x.note = r.note.map(redact)
        x.targets = r.targets.map { t in
            var m = t
            m.prior = t.prior.map(redact)
            m.post = t.post.map(redact)
            return m
        }
        x.undo = r.undo.map { a in
            var m = a
            m.args = a.args.map(redact)
            m.stop?.argv = a.stop?.argv.map(redact) ?? []
            m.stdin = a.stdin.map { text in (try? JSONValue.parse(text)).map { redact($0).prettyJSON } ?? redact(text) }
            return m
        }
        return x
    }

    /// `recorded` (a masked object from the journal) with every `<masked: ...>` string replaced by the value at the
    /// same place in `live`: a secret porthole never wrote keeps the value it has now, which is the one it had.
    static func unmasking(_ recorded: JSONValue, from live: JSONValue?) -> JSONValue {
        switch recorded {
        case .string(let s) where s.contains("<masked: "):
            // Whole or in part (`postgres://<masked: credentials>@db`): the live value is the unmasked one.
            return live ?? recorded
        case .object(let o):
            var out: [String: JSONValue] = [:]
            for (k, v) in o { out[k] = unmasking(v, from: live?[k]) }
            return .object(out)
        case .array(let a):
            return .array(a.enumerated().map { unmasking($0.element, from: live?[$0.offset]) })
        default:
            return recorded
        }
    }
}
