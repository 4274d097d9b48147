import Foundation
import PortholeKube

/// What a matcher looks at: a probe of the current step or a variable.
public enum MatchSource: Sendable, Hashable {
    case probe(String)
    case variable(String)
}

/// The comparison of `gt`, `ge`, `lt`, `le`.
public enum CompareOp: String, Sendable, Hashable, CaseIterable {
    case gt, ge, lt, le

    func holds(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .gt: return a > b
        case .ge: return a >= b
        case .lt: return a < b
        case .le: return a <= b
        }
    }
}

/// The test a leaf matcher applies to the values its path selects. String operands may use `${name}`.
public enum MatchTest: Sendable, Hashable {
    case equals(JSONValue)
    case contains(JSONValue)
    case matches(String)
    case exists(Bool)
    case compare(CompareOp, JSONValue)
}

/// A small typed matcher set (goss-like): leaves select and test, combinations combine.
/// `probe:`/`var:` written on a combination are pushed into its children when the playbook loads.
public indirect enum Matcher: Sendable, Hashable {
    case test(MatchSource, path: String?, MatchTest)
    case all([Matcher])
    case any([Matcher])
    case not(Matcher)
}

/// What a matcher can see while it is evaluated.
public struct MatchScope: Sendable {
    /// Result documents of this step's probes, by probe id.
    public var probes: [String: JSONValue]
    public var variables: [String: String]

    public init(probes: [String: JSONValue] = [:], variables: [String: String] = [:]) {
        self.probes = probes
        self.variables = variables
    }
}
