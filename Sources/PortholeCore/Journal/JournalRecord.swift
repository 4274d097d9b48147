import Foundation
import PortholeKube

/// One object a write touches: where it is, and its state before and after.
public struct JournalTarget: Sendable, Hashable, Codable {
    public var resource: String
    public var namespace: String?
    public var name: String
    /// The object before the write; nil means it was absent.
    public var prior: JSONValue?
    /// The object after the write (set by the `result` record); nil means absent.
    public var post: JSONValue?

    public init(resource: String, namespace: String?, name: String, prior: JSONValue?, post: JSONValue? = nil) {
        self.resource = resource
        self.namespace = namespace
        self.name = name
        self.prior = prior
        self.post = post
    }

    /// `resource/name -n namespace`, for people.
    public var display: String { "\(resource)/\(name)" + (namespace.map { " -n \($0)" } ?? "") }
}

/// One command that undoes (part of) a write: argv after `kubectl`, and optional stdin; or, for a
/// `background` fix, the process to stop (`args` is then empty).
public struct UndoAction: Sendable, Hashable, Codable {
    public var args: [String]
    public var stdin: String?
    /// Absent in journals written before background fixes existed (they still decode).
    public var stop: StopProcess?

    public init(args: [String], stdin: String? = nil) {
        self.args = args
        self.stdin = stdin
    }

    /// Stops the process a `background` fix started.
    public init(stop: StopProcess) {
        args = []
        self.stop = stop
    }

    /// For people, as a shell line: the kubectl command, or for a stop the `kill` of its process group with what it
    /// ends in a comment (by hand nobody checks the start time, so the comment says porthole undo does).
    public func display(process: ProcessHandle? = nil) -> String {
        guard let stop else { return ShellQuote.join(["kubectl"] + args) + (stdin != nil ? " < prior-object.json" : "") }
        let what = "\(ShellQuote.join(stop.argv)) (log: \(stop.log))"
        guard let h = process else {
            return "# pid not journaled (porthole stopped while starting it); porthole undo finds it by \(DetachedCommand.tagVariable)=\(stop.tag): \(what)"
        }
        return "kill -TERM -- -\(h.pid)  # pid \(h.pid) and its group, if still the one started (porthole undo checks): \(what)"
    }
}

/// The process a `background` fix started, as its intent records it before it runs: enough to stop it, or
/// to find it when porthole was killed before journaling its pid.
public struct StopProcess: Sendable, Hashable, Codable {
    /// The exact argv it was started with.
    public var argv: [String]
    /// `PORTHOLE_PROCESS_TAG` in its environment (the journal id).
    public var tag: String
    /// Its stdout and stderr.
    public var log: String

    public init(argv: [String], tag: String, log: String) {
        self.argv = argv
        self.tag = tag
        self.log = log
    }
}

/// One line of the journal (JSON Lines). A write leaves an `intent` line before it runs and a
/// `result` line after; `porthole undo` adds an `undone` line.
public struct JournalRecord: Sendable, Hashable, Codable {
    public enum Phase: String, Sendable, Hashable, Codable { case intent, result, undone }

    public var id: String
    public var phase: Phase
    public var time: Date
    public var playbook: String?
    public var step: String?
    public var fix: String?
    public var summary: String
    /// The write's exact argv and manifest (intent).
    public var command: [String]?
    public var manifest: String?
    public var targets: [JournalTarget]
    public var undo: [UndoAction]
    /// Why the write (result) or the undo failed.
    public var error: String?
    /// The process a `background` fix started (result): pid and start time, what `porthole undo` stops.
    public var process: ProcessHandle?
    /// Said besides the phase, e.g. on an `undone` line: the process had exited by itself.
    public var note: String?
    /// Why the state after the write could not be read (result; e.g. the API server went away right after the
    /// write). The targets then carry no post state: undo compares with the prior state, as after an interrupted write.
    public var unreadPost: String?

    /// True when porthole does not know the state its write left: it stopped mid-write (no result), or could not read it.
    public static func outcomeUnknown(_ result: JournalRecord?) -> Bool { result == nil || result?.unreadPost != nil }

    public init(id: String, phase: Phase, time: Date, playbook: String? = nil, step: String? = nil, fix: String? = nil, summary: String,
                command: [String]? = nil, manifest: String? = nil, targets: [JournalTarget] = [], undo: [UndoAction] = [],
                error: String? = nil, process: ProcessHandle? = nil, note: String? = nil, unreadPost: String? = nil) {
        self.id = id
        self.phase = phase
        self.time = time
        self.playbook = playbook
        self.step = step
        self.fix = fix
        self.summary = summary
        self.command = command
        self.manifest = manifest
        self.targets = targets
        self.undo = undo
        self.error = error
        self.process = process
        self.note = note
        self.unreadPost = unreadPost
    }
}
