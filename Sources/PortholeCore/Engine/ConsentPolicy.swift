import Foundation

/// A fix waiting for a decision, as the operator sees it.
public struct FixProposal: Sendable {
    public var step: String
    public var fix: Fix
    /// Argv and manifest with variables substituted.
    public var command: [String]?
    public var manifest: String?
    public var warning: String?
    /// The failed verdict that proposes this fix, the step's probe records and the variables at that
    /// moment: what an interactive consent (the REPL) shows before asking.
    public var verdict: Verdict? = nil
    public var probes: [ProbeRecord] = []
    public var variables: [String: String] = [:]
}

/// Who says yes to a write.
public enum ConsentPolicy: Sendable {
    /// Never write: stop at the first fix and show it (non-interactive runs without `--yes`).
    case never
    /// `--yes`.
    case always
    /// Ask (the REPL's `apply` + `y`).
    case ask(@Sendable (FixProposal) async -> Bool)

    var name: String {
        switch self {
        case .never: return "never"
        case .always: return "yes"
        case .ask: return "ask"
        }
    }
}

/// How a run behaves.
public struct RunOptions: Sendable {
    public var kube: KubeOptions
    public var consent: ConsentPolicy
    /// Show what a fix would do with the server's dry run instead of writing.
    public var dryRun: Bool
    /// Where the undo journal lives.
    public var journalPath: String
    /// How often one step may be entered through `next` before the run stops (loops).
    public var maxVisits: Int

    public init(kube: KubeOptions = KubeOptions(), consent: ConsentPolicy = .never, dryRun: Bool = false, journalPath: String,
                maxVisits: Int = 3) {
        self.kube = kube
        self.consent = consent
        self.dryRun = dryRun
        self.journalPath = journalPath
        self.maxVisits = maxVisits
    }
}
