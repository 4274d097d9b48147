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

/// One command that undoes (part of) a write: argv after `kubectl`, and optional stdin.
public struct UndoAction: Sendable, Hashable, Codable {
    public var args: [String]
    public var stdin: String?

    public init(args: [String], stdin: String? = nil) {
        self.args = args
        self.stdin = stdin
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

    public init(id: String, phase: Phase, time: Date, playbook: String? = nil, step: String? = nil, fix: String? = nil, summary: String,
                command: [String]? = nil, manifest: String? = nil, targets: [JournalTarget] = [], undo: [UndoAction] = [],
                error: String? = nil) {
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
    }
}
