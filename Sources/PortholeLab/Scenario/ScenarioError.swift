import Foundation
import PortholeKube

/// Why a scenario cannot be loaded; every case that comes from a file names FILE:LINE:COLUMN and the key.
public enum ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No shipped scenario has this name and it is not a readable file.
    case notFound(name: String, searched: [String])
    case unreadable(file: String, detail: String)
    /// The YAML parser refused the text.
    case syntax(file: String, mark: SourceMark?, detail: String)
    /// No `kind: LabScenario` document, or more than one.
    case labDocumentCount(file: String, found: Int)
    /// A key the lab document does not know (a typo, usually).
    case unknownKey(file: String, mark: SourceMark, keyPath: String)
    case missingKey(file: String, mark: SourceMark, keyPath: String)
    case wrongType(file: String, mark: SourceMark, keyPath: String, expected: String)
    /// Every lab address must be a loopback stand-in (127.0.0.0/8): the lab never sends traffic elsewhere.
    case notLoopback(file: String, mark: SourceMark, keyPath: String, address: String)
    /// A Kubernetes object the scenario's cluster cannot hold (unknown kind, missing name, rejected by admission).
    case badObject(file: String, mark: SourceMark, detail: String)

    public var description: String {
        switch self {
        case .notFound(let n, let searched):
            return "no scenario named \(n) (looked in: \(searched.joined(separator: ", ")))"
        case .unreadable(let f, let d): return "\(f): cannot read: \(d)"
        case .syntax(let f, let m, let d): return "\(f):\(m.map { "\($0.line):\($0.column)" } ?? "?"): not valid YAML: \(d)"
        case .labDocumentCount(let f, let n):
            return "\(f): a scenario needs exactly one document with kind: LabScenario, found \(n)"
        case .unknownKey(let f, let m, let k): return "\(f):\(m): unknown key `\(k)`"
        case .missingKey(let f, let m, let k): return "\(f):\(m): missing key `\(k)`"
        case .wrongType(let f, let m, let k, let e): return "\(f):\(m): `\(k)` must be \(e)"
        case .notLoopback(let f, let m, let k, let a):
            return "\(f):\(m): `\(k)` is \(a), outside 127.0.0.0/8; the lab only uses loopback stand-ins (keep the real address in standsFor)"
        case .badObject(let f, let m, let d): return "\(f):\(m): \(d)"
        }
    }
}
