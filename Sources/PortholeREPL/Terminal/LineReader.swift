import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What one read of a line produced.
public enum LineReadResult: Equatable, Sendable {
    case line(String)
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
    /// Ctrl-C at the prompt.
    case interrupted
}

/// Completes the word before the cursor: returns the candidates for the whole line up to the cursor.
public protocol Completer: AnyObject {
    /// Candidates that could replace `word`, the last word of `line` (the text before the cursor).
    func completions(line: String, word: String) -> [String]
}

/// Reads lines from the operator. The live one edits with libedit; tests script it.
public protocol LineReader: AnyObject {
    func readLine(prompt: String) -> LineReadResult
    /// Remembers a line in the history (and persists it where the reader keeps history).
    func addHistory(_ line: String)
    var completer: Completer? { get set }
}

/// Reads commands line by line from a non-terminal stdin: no prompt, no editing, no escape codes.
public final class PipedLineReader: LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var eof = false
    public var completer: Completer?

    public init(handle: FileHandle = .standardInput) { self.handle = handle }

    public func readLine(prompt: String) -> LineReadResult {
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeFirst(nl + 1)
                return .line(line.hasSuffix("\r") ? String(line.dropLast()) : line)
            }
            if eof {
                if buffer.isEmpty { return .endOfInput }
                let line = String(decoding: buffer, as: UTF8.self)
                buffer.removeAll()
                return .line(line)
            }
            let chunk = Self.read(handle.fileDescriptor)
            if chunk.isEmpty { eof = true } else { buffer += chunk }
        }
    }

    /// The next bytes of `fd`; empty at the end of input. FileHandle traps on a read error, so read(2): a closed stdin
    /// (`<&-`, EBADF) or any other error is the end of input, and a non-blocking one (EAGAIN) is waited for with poll.
    static func read(_ fd: Int32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 { return Array(bytes[..<n]) }
            if n == 0 { return [] }
            switch errno {
            case EINTR: continue
            case EAGAIN:
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&p, 1, -1)
            default: return []
            }
        }
    }

    public func addHistory(_ line: String) {}
}
