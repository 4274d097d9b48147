import Foundation
import PortholeCore
import PortholeFindings

/// The state of a guided session as plain values: what was read, the ranking, the run in progress,
/// a fix waiting for consent, what the operator typed. No terminal and no cluster: tests build it directly.
public struct GuidedSession: Sendable {
    /// How `run` drives: to the next decision, or one step (`next`, `step ID`).
    enum Drive: Sendable { case toDecision, oneStep }

    public internal(set) var reading: ClusterReading?
    public internal(set) var overview: ClusterOverview?
    public internal(set) var ranking: [RankedChoice] = []
    /// Playbook ids the library holds (for `use`, completion and suggestions).
    public internal(set) var playbookIDs: [String] = []
    public internal(set) var run: PlaybookRun?
    /// A fix the engine is waiting on (`fix`, `apply`, `skip` answer it).
    public internal(set) var pending: FixProposal?
    public internal(set) var typed: [TypedLine] = []
    /// What `undo` (and `quit`'s offer) reverted or kept, in order: the transcript says it as the screen did.
    public internal(set) var undos: [UndoneLine] = []
    /// Runs left for another playbook (`use` while a run exists), oldest first.
    public internal(set) var earlierRuns: [Session] = []
    /// `set k=v` before any playbook is chosen, and the command line's `--var`s.
    public internal(set) var presetVariables: [String: String] = [:]
    /// Ctrl-C was pressed at an empty prompt just before (a second one asks before leaving).
    var interruptedAtPrompt = false
    var drive: Drive = .toDecision
    /// Set when the environment failed (exit 3) or piped input misused a command (exit 2).
    var forcedExit: ExitStatus?

    public init() {}

    /// The approach proposed at the start: the first viable one of the ranking.
    public var proposed: String? { ranking.first(where: \.viable)?.id ?? ranking.first?.id }

    /// Every run of the session, the current one last.
    public var sessions: [Session] { earlierRuns + (run.map { [$0.session] } ?? []) }

    /// 0 when the latest run reached its goal, 1 otherwise; 2/3 when usage or the environment failed.
    public var exitStatus: ExitStatus {
        if let f = forcedExit { return f }
        return sessions.last?.outcome?.goalReached == true ? .goalReached : .goalNotReached
    }

    /// The prompt: the playbook in use and whether a fix waits.
    public var prompt: String {
        guard let run else { return "porthole> " }
        return "porthole \(run.playbook.id)\(pending != nil ? " [fix]" : "")> "
    }

    /// The planner's ranking as the session lists it.
    static func choices(_ ranked: [RankedApproach]) -> [RankedChoice] {
        ranked.map { RankedChoice(id: $0.id, viable: $0.viable, reason: $0.reason, findings: $0.findings.map(\.code)) }
    }
}

extension GuidedSession {
    mutating func record(_ line: String, at time: Date) {
        typed.append(TypedLine(time: time, text: line))
    }

    mutating func record(_ outcome: UndoOutcome, at time: Date) {
        let said: String
        switch outcome.status {
        case .undone: said = "undone: \(outcome.summary)"
        case .keptAfterDrift: said = "kept (changed since porthole wrote it): \(outcome.summary)"
        case .failed(let why): said = "failed: \(outcome.summary): \(why)"
        }
        undos.append(UndoneLine(time: time, text: said, details: outcome.details))
    }

    mutating func adopt(reading: ClusterReading, playbookIDs ids: [String]) {
        self.reading = reading
        overview = ClusterOverview(reading)
        ranking = Self.choices(ApproachPlanner.rank(reading.snapshot))
        playbookIDs = ids
    }

    /// Starts `next` as the run in use; the previous run's session is kept for the transcript.
    mutating func begin(_ next: PlaybookRun) {
        if let old = run { earlierRuns.append(old.session) }
        run = next
        pending = nil
    }

    mutating func set(_ key: String, _ value: String) {
        if run != nil { run!.set(key, value) } else { presetVariables[key] = value }
    }
}
