import Foundation

/// How bad a finding is: `error` breaks the path, `warning` risks it, `info` is worth knowing.
public enum FindingLevel: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case info, warning, error

    private var rank: Int { switch self { case .info: return 0; case .warning: return 1; case .error: return 2 } }
    public static func < (a: FindingLevel, b: FindingLevel) -> Bool { a.rank < b.rank }
}

/// The Kubernetes object a finding is about, e.g. `gateway istio-system/prometheus-gateway`.
public struct ObjectReference: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The kind as Kubernetes spells it (`Gateway`, `VirtualService`, `Service`).
    public var kind: String
    /// The API group (`networking.istio.io`); empty for the core group.
    public var group: String
    /// Nil for cluster-scoped objects.
    public var namespace: String?
    public var name: String

    public init(kind: String, group: String = "", namespace: String?, name: String) {
        self.kind = kind; self.group = group; self.namespace = namespace; self.name = name
    }

    /// `gateway istio-system/prometheus-gateway`; `node node-1` for cluster-scoped objects.
    public var description: String {
        let id = namespace.map { "\($0)/\(name)" } ?? name
        return "\(kind.lowercased()) \(id)"
    }

    public static func < (a: ObjectReference, b: ObjectReference) -> Bool {
        (a.kind, a.namespace ?? "", a.name) < (b.kind, b.namespace ?? "", b.name)
    }
}

/// A typed value in a finding message; renderers may style each kind differently.
public enum FindingArgument: Codable, Sendable, Hashable, CustomStringConvertible {
    case object(ObjectReference)
    case port(Int)
    case host(String)
    case address(String)
    /// A field path inside an object, e.g. `spec.servers[0].port.number`.
    case field(String)
    case value(String)
    case count(Int)
    case list([String])

    public var description: String {
        switch self {
        case .object(let o): return o.description
        case .port(let p): return String(p)
        case .host(let h): return h
        case .address(let a): return a
        case .field(let f): return f
        case .value(let v): return v
        case .count(let c): return String(c)
        case .list(let l): return l.isEmpty ? "(none)" : l.joined(separator: ", ")
        }
    }
}

/// One diagnosis: what is wrong, on which object and field, why, and the one-line fix.
public struct Finding: Codable, Sendable, Hashable {
    /// `PH` + four digits; stable, never reused.
    public var code: String
    public var level: FindingLevel
    /// Short name of the code, e.g. `GatewayPortNotOnService`.
    public var title: String
    /// The rendered message, naming the object, the field and the value.
    public var message: String
    /// The typed values the message was rendered from, by placeholder name.
    public var arguments: [String: FindingArgument]
    public var cause: String
    /// The rendered one-line fix.
    public var fix: String
    /// Repository-relative path of the doc page: `docs/findings/PHxxxx.md`.
    public var doc: String
    public var object: ObjectReference?
    /// The field of `object` the finding points at, when there is one.
    public var field: String?
    /// Set when a suppression matched: the finding is kept and marked, never dropped.
    public var suppression: AppliedSuppression?

    public var isSuppressed: Bool { suppression != nil }
}

/// The suppression that matched a finding, as reported next to it.
public struct AppliedSuppression: Codable, Sendable, Hashable {
    public var reason: String
    /// `YYYY-MM-DD`, the last day the suppression applies; nil for no expiry.
    public var until: String?
    /// Where it came from: `annotation on virtualservice default/prometheus` or `scope`.
    public var source: String
}
