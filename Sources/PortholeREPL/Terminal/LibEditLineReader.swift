import CLibEdit
import Foundation

/// The interactive line reader: libedit with emacs keys (Ctrl-R searches history), persistent history
/// and Tab completion. The only file that imports CLibEdit.
public final class LibEditLineReader: LineReader {
    private let el: OpaquePointer
    private let hist: OpaquePointer
    private let historyFile: String?
    /// The prompt libedit's callback returns; kept alive as a C string between calls.
    fileprivate var promptCString: UnsafeMutablePointer<CChar>
    public var completer: Completer?
    /// Set by the Ctrl-C key binding; el_gets then returns NULL as for Ctrl-D.
    fileprivate var interruptPressed: Interrupt?
    fileprivate enum Interrupt { case interrupt, abandonLine }

    /// - Parameter historyFile: where history persists (created if missing); nil keeps it in memory.
    public init?(programName: String = "porthole", historyFile: String?) {
        // libedit decodes what is typed with the C library's character type: in the default "C" locale it
        // drops every non-ASCII character (`use é` arrived as `use `). Only LC_CTYPE: numbers stay as they are.
        setlocale(LC_CTYPE, "")
        guard let el = porthole_el_init_stdio(programName), let hist = history_init() else { return nil }
        self.el = el
        self.hist = hist
        self.historyFile = historyFile
        promptCString = strdup("> ")
        porthole_history_setsize(hist, 1000)
        porthole_history_setunique(hist, 1)
        if let f = historyFile {
            try? FileManager.default.createDirectory(atPath: (f as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = porthole_history_load(hist, f)
        }
        porthole_el_set_editor(el, "emacs")
        porthole_el_set_history(el, hist)
        porthole_el_set_signal(el, 1)
        porthole_el_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        porthole_el_set_prompt(el) { el in
            guard let el, let data = porthole_el_get_clientdata(el) else { return nil }
            return Unmanaged<LibEditLineReader>.fromOpaque(data).takeUnretainedValue().promptCString
        }
        porthole_el_addfn(el, "porthole-complete", "complete the word before the cursor") { el, _ in
            guard let el, let data = porthole_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<LibEditLineReader>.fromOpaque(data).takeUnretainedValue().complete()
        }
        porthole_el_bind(el, "^I", "porthole-complete")
        porthole_el_setty_noisig(el)
        porthole_el_addfn(el, "porthole-interrupt", "abandon the line (Ctrl-C)") { el, _ in
            guard let el, let data = porthole_el_get_clientdata(el) else { return UInt8(CC_EOF) }
            let reader = Unmanaged<LibEditLineReader>.fromOpaque(data).takeUnretainedValue()
            // Ctrl-C on a typed line only abandons the line; on an empty one it is an interrupt.
            let empty = el_line(el).map { $0.pointee.lastchar == $0.pointee.buffer } ?? true
            reader.interruptPressed = empty ? .interrupt : .abandonLine
            return UInt8(CC_EOF)
        }
        porthole_el_bind(el, "^C", "porthole-interrupt")
    }

    deinit {
        el_end(el)
        history_end(hist)
        free(promptCString)
    }

    public func readLine(prompt: String) -> LineReadResult {
        free(promptCString)
        promptCString = strdup(prompt)
        var count: Int32 = 0
        errno = 0
        interruptPressed = nil
        let got = el_gets(el, &count)
        if let pressed = interruptPressed {
            FileHandle.standardOutput.write(Data("^C\n".utf8))
            return pressed == .interrupt ? .interrupted : .line("")
        }
        guard let cLine = got else {
            // NULL with EINTR: Ctrl-C (libedit restores the terminal); NULL otherwise: Ctrl-D / EOF.
            return count == -1 || errno == EINTR ? .interrupted : .endOfInput
        }
        var line = String(cString: cLine)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    public func addHistory(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        porthole_history_enter(hist, line)
        if let f = historyFile { _ = porthole_history_save(hist, f) }
    }

    /// Tab: one candidate completes in place; several insert their common prefix and are listed.
    private func complete() -> UInt8 {
        guard let info = el_line(el)?.pointee, let completer else { return UInt8(CC_ERROR) }
        let before = String(decoding: UnsafeRawBufferPointer(start: info.buffer, count: info.cursor - info.buffer), as: UTF8.self)
        let word = before.split(separator: " ", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let candidates = completer.completions(line: before, word: word)
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        if let insert = CompletionInsertion.text(word: word, candidates: candidates) {
            el_insertstr(el, insert)
            return UInt8(CC_REFRESH)
        }
        if candidates.count > 1 {
            FileHandle.standardOutput.write(Data(("\n" + candidates.joined(separator: "  ") + "\n").utf8))
            return UInt8(CC_REDISPLAY)
        }
        return UInt8(CC_REFRESH)
    }
}
