import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
        StandardStreams.write(text, to: stream == .standardOutput ? STDOUT_FILENO : STDERR_FILENO)
    }
}

/// Writes to stdout and stderr that never stop porthole: a closed stream (`>&-`) or a reader gone (`| head -1`) loses
/// the text, not the run. FileHandle traps on such errors, and SIGPIPE would kill porthole between two writes to the
/// cluster, so porthole ignores SIGPIPE (`ignoreBrokenPipes`) and writes with write(2).
public enum StandardStreams {
    /// Writes all of `text` to `fd`, retrying interrupted and partial writes, giving up silently on errors.
    public static func write(_ text: String, to fd: Int32) {
        let data = Array(text.utf8)
        var offset = 0
        while offset < data.count {
            let n = data[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    /// A broken pipe becomes an error (EPIPE) on the write that meets it, for stdout as for kubectl's stdin.
    public static func ignoreBrokenPipes() { signal(SIGPIPE, SIG_IGN) }
}
