import Foundation

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
            let chunk = handle.availableData
            if chunk.isEmpty { eof = true } else { buffer += chunk }
        }
    }

    public func addHistory(_ line: String) {}
}
