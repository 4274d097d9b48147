import Foundation
import PortholeCore

/// How the executable starts a guided session.
public struct SessionOptions: Sendable {
    public var kube: KubeOptions
    /// `--var name=value` given on the command line; they apply to whichever playbook is chosen.
    public var variables: [String: String]
    /// The undo journal (default: Core's `UndoJournal.defaultPath` for the context).
    public var journalPath: String?
    /// Where line history persists (default: `historyPath(environment:)`).
    public var historyPath: String?
    /// Overrides the terminal detection (tests); nil decides from the file descriptors and NO_COLOR.
    public var style: TerminalStyle?
    /// True when the cluster ends with the session (a `--lab` lab with its own journal): changes left at
    /// `quit` go with it, so nothing is said about undoing them later.
    public var clusterEndsWithSession = false
    /// `--transcript FILE.md`: the session's transcript is written there when it ends, however it ends.
    public var transcriptPath: String?

    public init(kube: KubeOptions = KubeOptions(), variables: [String: String] = [:], journalPath: String? = nil,
                historyPath: String? = nil, style: TerminalStyle? = nil) {
        self.kube = kube
        self.variables = variables
        self.journalPath = journalPath
        self.historyPath = historyPath
        self.style = style
    }

    /// `$XDG_STATE_HOME/porthole/history`, falling back to `~/.local/state/porthole/history`.
    public static func historyPath(environment: [String: String]) -> String {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "\(environment["HOME"] ?? NSHomeDirectory())/.local/state"
        return "\(state)/porthole/history"
    }
}
