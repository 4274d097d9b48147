import Foundation
import PortholeREPL
import Testing

/// A line reader that plays a script and records every prompt. Reading past the script is a test
/// failure (recorded loudly), answered with the end of input so the session can end.
final class ScriptedLineReader: LineReader {
    private var script: [LineReadResult]
    private(set) var prompts: [String] = []
    private(set) var history: [String] = []
    var completer: Completer?

    init(_ lines: [String]) { script = lines.map { .line($0) } }
    init(results: [LineReadResult]) { script = results }

    func readLine(prompt: String) -> LineReadResult {
        prompts.append(prompt)
        guard !script.isEmpty else {
            Issue.record("the session read beyond the script (prompt: \(prompt.debugDescription))")
            return .endOfInput
        }
        return script.removeFirst()
    }

    func addHistory(_ line: String) { history.append(line) }

    /// True when every scripted line was consumed.
    var finished: Bool { script.isEmpty }
}
