import Foundation

/// Which stream a line goes to: results on stdout, diagnostics on stderr.
public enum OutputChannel: Sendable {
    case standardOutput
    case standardError
}

/// Where porthole writes for people.
public protocol OutputSink: Sendable {
    func write(_ text: String, to stream: OutputChannel)
}

public extension OutputSink {
    /// Writes `text` and a newline to stdout.
    func line(_ text: String) { write(text + "\n", to: .standardOutput) }
    /// Writes `text` and a newline to stderr.
    func diagnostic(_ text: String) { write(text + "\n", to: .standardError) }
}

/// The process's own stdout and stderr.
public struct StandardOutputSink: OutputSink {
    public init() {}
    public func write(_ text: String, to stream: OutputChannel) {
        let handle = stream == .standardOutput ? FileHandle.standardOutput : FileHandle.standardError
        handle.write(Data(text.utf8))
    }
}
