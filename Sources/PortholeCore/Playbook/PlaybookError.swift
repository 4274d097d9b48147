import Foundation
import PortholeKube

/// Where in a playbook file something is: file, line and column, and the key path
/// (`steps[2].probes[0].http.url`).
public struct PlaybookLocation: Sendable, Hashable {
    public var file: String
    public var mark: SourceMark?
    public var keyPath: String

    public init(file: String, mark: SourceMark?, keyPath: String) {
        self.file = file
        self.mark = mark
        self.keyPath = keyPath
    }

    /// `FILE:LINE:COLUMN` (or `FILE` when the position is unknown).
    public var position: String {
        guard let m = mark, m.line > 0 else { return file }
        return "\(file):\(m.line):\(m.column)"
    }
}

/// Everything that makes a playbook unusable, found once at load (exit code 2).
public enum PlaybookError: Error, Sendable, Hashable {
    case unreadable(PlaybookLocation, detail: String)
    case syntax(PlaybookLocation, detail: String)
    case unknownKey(PlaybookLocation, key: String, allowed: [String])
    case duplicateKey(PlaybookLocation, key: String)
    case wrongType(PlaybookLocation, expected: String, found: String)
    case missingKey(PlaybookLocation, key: String)
    case invalidValue(PlaybookLocation, detail: String)
    case duplicateID(PlaybookLocation, kind: String, id: String)
    case probeKindCount(PlaybookLocation, found: [String])
    case unknownNext(PlaybookLocation, kind: String, name: String)
    case unknownFix(PlaybookLocation, fix: String)
    case unknownProbe(PlaybookLocation, probe: String)
    case undefinedVariable(PlaybookLocation, name: String)
    case invalidRegex(PlaybookLocation, pattern: String, detail: String)
    case invalidPath(PlaybookLocation, detail: String)
    case unknownFinding(PlaybookLocation, code: String)
    case noFallbackOutcome(PlaybookLocation, step: String)
    /// No playbook has this id, and no file has this path.
    case notFound(String, known: [String])

    public var location: PlaybookLocation? {
        switch self {
        case .unreadable(let l, _), .syntax(let l, _), .unknownKey(let l, _, _), .duplicateKey(let l, _),
             .wrongType(let l, _, _), .missingKey(let l, _), .invalidValue(let l, _), .duplicateID(let l, _, _),
             .probeKindCount(let l, _), .unknownNext(let l, _, _), .unknownFix(let l, _), .unknownProbe(let l, _),
             .undefinedVariable(let l, _), .invalidRegex(let l, _, _), .invalidPath(let l, _),
             .unknownFinding(let l, _), .noFallbackOutcome(let l, _):
            return l
        case .notFound:
            return nil
        }
    }
}

extension PlaybookError: CustomStringConvertible {
    /// The one rendering: `FILE:LINE:COLUMN: error: at `key.path`: what is wrong`.
    public var description: String {
        guard let l = location else {
            if case .notFound(let name, let known) = self {
                return "error: no playbook `\(name)` (neither a playbook id nor a file); known: \(known.joined(separator: ", "))"
            }
            return "error: \(self)"
        }
        let at = l.keyPath.isEmpty ? "" : "at `\(l.keyPath)`: "
        return "\(l.position): error: \(at)\(message)"
    }

    var message: String {
        switch self {
        case .unreadable(_, let d): return "cannot read the playbook: \(d)"
        case .syntax(_, let d): return "YAML syntax error: \(d)"
        case .unknownKey(_, let k, let allowed): return "unknown key `\(k)` (expected one of: \(allowed.joined(separator: ", ")))"
        case .duplicateKey(_, let k): return "key `\(k)` is written twice"
        case .wrongType(_, let e, let f): return "expected \(e), found \(f)"
        case .missingKey(_, let k): return "missing key `\(k)`"
        case .invalidValue(_, let d): return d
        case .duplicateID(_, let kind, let id): return "duplicate \(kind) id `\(id)`"
        case .probeKindCount(_, let found):
            return found.isEmpty
                ? "a probe needs exactly one kind: object, kubectl, http, tcp or findings"
                : "a probe has exactly one kind, found \(found.map { "`\($0)`" }.joined(separator: " and "))"
        case .unknownNext(_, let kind, let name): return "`next` names no \(kind) `\(name)`"
        case .unknownFix(_, let f): return "`fix` names no fix `\(f)` of this step"
        case .unknownProbe(_, let p): return "names no probe `\(p)` of this step"
        case .undefinedVariable(_, let n): return "variable `${\(n)}` is neither an input nor a capture of this or an earlier step"
        case .invalidRegex(_, let p, let d): return "invalid regular expression `\(p)`: \(d)"
        case .invalidPath(_, let d): return d
        case .unknownFinding(_, let c): return "unknown finding code `\(c)`"
        case .noFallbackOutcome(_, let s): return "step `\(s)` needs a last outcome without `when` (the fallback)"
        case .notFound: return ""
        }
    }
}
