import Foundation
import PortholeKube

/// One approach to reaching a Service from outside, decoded once and validated at load.
/// Inert data: the engine reads it, nothing in it runs by itself. Defaults are already resolved.
public struct Playbook: Sendable, Hashable {
    public var id: String
    public var title: String
    public var summary: String
    public var applies: String
    public var requires: [String]
    /// Declared inputs, in file order.
    public var inputs: [PlaybookInput]
    public var steps: [Step]
    /// The file it came from (for messages and the transcript).
    public var source: String

    /// Input defaults by name (inputs without a default are absent).
    public var defaults: [String: String] {
        var out: [String: String] = [:]
        for i in inputs { if let d = i.defaultValue { out[i.name] = d } }
        return out
    }

    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }
}

/// A variable the operator may set with `--var name=value`.
public struct PlaybookInput: Sendable, Hashable {
    public var name: String
    public var defaultValue: String?
    public var description: String
    /// What a value must look like; nil: any text.
    public var format: InputFormat? = nil

    /// Why `value` is refused for this input, or nil.
    public func problem(with value: String) -> String? {
        format?.problem(with: value).map { "--var \(name): \($0)" }
    }
}

/// One step: collect facts (probes), set variables (captures), judge (outcomes), propose (fixes).
public struct Step: Sendable, Hashable {
    public var id: String
    public var title: String
    public var why: String
    /// Over variables only; the step is skipped when it does not match.
    public var onlyIf: Matcher?
    public var probes: [Probe]
    public var captures: [Capture]
    /// First match wins; the last one has no `when` (checked at load).
    public var outcomes: [Outcome]
    public var fixes: [Fix]

    public func probe(_ id: String) -> Probe? { probes.first { $0.id == id } }
    public func fix(_ id: String) -> Fix? { fixes.first { $0.id == id } }
}

/// A fact to collect, with its own timeout.
public struct Probe: Sendable, Hashable {
    public var id: String
    /// Seconds; default 5.
    public var timeout: Double
    public var kind: ProbeKind
}

/// The kinds of probe. Each kind's fields are templates substituted just before it runs.
public enum ProbeKind: Sendable, Hashable {
    case object(ObjectQuery)
    case kubectl(args: [String], json: Bool)
    case http(HTTPProbeSpec)
    case tcp(host: String, port: String)
    case findings(codes: [String], namespace: String?)

    public var name: String {
        switch self {
        case .object: return "object"
        case .kubectl: return "kubectl"
        case .http: return "http"
        case .tcp: return "tcp"
        case .findings: return "findings"
        }
    }
}

/// Objects of one resource, answered from the cluster snapshot.
public struct ObjectQuery: Sendable, Hashable, Codable {
    /// A kubectl resource name: `services`, `gateways.networking.istio.io`, `configmaps`.
    public var resource: String
    public var namespace: String?
    public var name: String?
    /// A label selector `k=v,k2=v2` (equality only).
    public var selector: String?

    public init(resource: String, namespace: String? = nil, name: String? = nil, selector: String? = nil) {
        self.resource = resource
        self.namespace = namespace
        self.name = name
        self.selector = selector
    }
}

/// What an `http` probe sends.
public struct HTTPProbeSpec: Sendable, Hashable {
    public var url: String
    public var method: String
    public var host: String?
    public var headers: [String: String]
    /// Seconds for the TCP handshake; default 2.
    public var connectTimeout: Double
}

/// Sets a variable from a probe result.
public struct Capture: Sendable, Hashable {
    public var variable: String
    public var probe: String
    public var path: String?
    public var defaultValue: String?
    /// Taken only when this holds (over the step's probes and the variables so far); otherwise it is as if
    /// `path` selected nothing, so `default` applies.
    public var when: Matcher?

    public init(variable: String, probe: String, path: String?, defaultValue: String?, when: Matcher? = nil) {
        self.variable = variable; self.probe = probe; self.path = path; self.defaultValue = defaultValue; self.when = when
    }
}

/// pass, warn or fail.
public enum VerdictLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case pass, warn, fail
}

/// One candidate judgement of a step.
public struct Outcome: Sendable, Hashable {
    /// nil: the fallback (always matches).
    public var when: Matcher?
    public var verdict: VerdictLevel
    public var finding: String?
    public var message: String?
    public var fix: String?
    public var next: NextHop?
}

/// Where to go when a step stays failed.
public struct NextHop: Sendable, Hashable, Codable {
    public var step: String?
    public var playbook: String?
    public var reason: String

    public init(step: String? = nil, playbook: String? = nil, reason: String) {
        self.step = step
        self.playbook = playbook
        self.reason = reason
    }
}

/// A change a step can propose.
public struct Fix: Sendable, Hashable {
    public var id: String
    public var title: String
    public var changes: String
    /// False: advice only, nothing runs. A `background` fix counts as a write: it needs the same consent.
    public var writes: Bool
    /// Objects the fix creates or changes; their prior state goes to the undo journal.
    public var targets: [ObjectQuery]
    public var action: FixAction
    public var warning: String?
    /// An explicit undo argv (after `kubectl`), overriding the journal's computed one.
    public var undo: [String]?
    public var verify: Verify?
}

/// How a fix writes.
public enum FixAction: Sendable, Hashable {
    /// `kubectl apply -f -` with this manifest on stdin.
    case manifest(String)
    /// argv after `kubectl`.
    case kubectl([String])
    /// argv after `kubectl` of a long-running local process porthole starts detached and journals
    /// (`kubectl port-forward` only, checked at load); undone by stopping it.
    case background([String])
    /// Advice only.
    case none

    /// True for a `background` fix.
    public var isBackground: Bool {
        if case .background = self { return true }
        return false
    }
}

/// Probes that must pass again after a fix, with a wait budget for things that converge.
public struct Verify: Sendable, Hashable {
    public var probes: [String]
    public var interval: Double
    public var timeout: Double
}
