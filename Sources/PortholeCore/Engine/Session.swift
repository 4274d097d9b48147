import Foundation
import PortholeKube

/// Everything a run did, as one value: what the transcript renders and `--format json` prints.
public struct Session: Sendable, Hashable, Codable {
    public var startedAt: Date
    public var finishedAt: Date?
    public var playbook: PlaybookHeader
    /// Input values the run started with (defaults and `--var`s).
    public var inputs: [String: String]
    public var cluster: ClusterInfo
    public var dryRun: Bool
    public var consent: String
    public var steps: [StepRecord]
    public var outcome: FinalOutcome?
    /// Writes still recorded in the journal and not undone, newest last.
    public var pendingUndos: [PendingUndo]
    /// Variables at the end of the run (inputs and captures).
    public var variables: [String: String]

    public init(startedAt: Date, playbook: PlaybookHeader, inputs: [String: String], cluster: ClusterInfo, dryRun: Bool, consent: String) {
        self.startedAt = startedAt
        self.playbook = playbook
        self.inputs = inputs
        self.cluster = cluster
        self.dryRun = dryRun
        self.consent = consent
        steps = []
        pendingUndos = []
        variables = inputs
    }
}

public struct PlaybookHeader: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var source: String
}

/// Which cluster the run talked to.
public struct ClusterInfo: Sendable, Hashable, Codable {
    public var kubeconfig: String?
    public var context: String?
    public var server: String?
    public var serverVersion: String?

    public init(kubeconfig: String? = nil, context: String? = nil, server: String? = nil, serverVersion: String? = nil) {
        self.kubeconfig = kubeconfig
        self.context = context
        self.server = server
        self.serverVersion = serverVersion
    }
}

/// One visit of one step (a step visited again through `next` or `back` gets another record).
public struct StepRecord: Sendable, Hashable, Codable {
    public var step: String
    public var title: String
    public var why: String
    /// Why the step did not run (`onlyIf` false, skipped by the operator).
    public var skipped: String?
    public var probes: [ProbeRecord]
    public var captures: [String: String]
    public var verdict: Verdict?
    public var fixes: [FixRecord]
}

/// What happened to a proposed fix.
public enum FixDecision: String, Sendable, Hashable, Codable {
    /// Shown; no consent was possible (a non-interactive run without `--yes`).
    case offered
    case declined
    /// Run with `--dry-run=server`; nothing changed.
    case dryRun
    case applied
    /// Run and failed (the journal has the failure).
    case failed
    /// Advice only: nothing to run.
    case advice
    /// Not run because a variable it needs has no value.
    case skipped
}

public struct FixRecord: Sendable, Hashable, Codable {
    public var fix: String
    public var title: String
    public var changes: String
    public var warning: String?
    public var writes: Bool
    /// The exact kubectl argv it runs (or ran).
    public var command: [String]?
    /// The manifest piped to `kubectl apply -f -`.
    public var manifest: String?
    public var decision: FixDecision
    /// kubectl's output (or the dry run's).
    public var output: String?
    /// The commands that undo it, for people.
    public var undo: [String]
    public var journalID: String?
    public var verify: VerifyRecord?
}

/// How the verify block went.
public struct VerifyRecord: Sendable, Hashable, Codable {
    public var attempts: Int
    public var passed: Bool
    public var waited: Double
    public var probes: [ProbeRecord]
}

/// How the run ended.
public struct FinalOutcome: Sendable, Hashable, Codable {
    public var goalReached: Bool
    public var summary: String
    /// Where to go next (another playbook, with the reason), when the run says so.
    public var suggestion: NextHop?

    /// The summary without the verdict the engine may open it with ("goal reached: ..."), for a line that
    /// says the verdict itself.
    public var detail: String {
        for prefix in ["goal reached: ", "goal not reached: "] where summary.hasPrefix(prefix) { return String(summary.dropFirst(prefix.count)) }
        return summary
    }
}

/// A write that can still be undone (`porthole undo`).
public struct PendingUndo: Sendable, Hashable, Codable {
    public var journalID: String
    public var summary: String
    public var commands: [String]
}
