import Foundation
import PortholeKube

/// Why the journal could not be used.
public enum JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, line: Int, detail: String)
    case unwritable(path: String, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let l, let d): return "\(p)\(l > 0 ? ":\(l)" : ""): cannot read the undo journal: \(d)"
        case .unwritable(let p, let d): return "cannot write the undo journal \(p): \(d)"
        }
    }
}

/// The undo journal: a JSON Lines file, appended and fsynced before every write runs, so a crash
/// still leaves the record of what to undo.
public struct UndoJournal: Sendable {
    public let path: String
    let files: FileSystem

    public init(path: String, files: FileSystem) {
        self.path = path
        self.files = files
    }

    /// `$XDG_STATE_HOME/porthole/journal-<context>.jsonl` (XDG default `~/.local/state`).
    public static func defaultPath(environment: [String: String], context: String?) -> String {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "\(environment["HOME"] ?? NSTemporaryDirectory())/.local/state"
        let safe = (context ?? "default").map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }
        return "\(state)/porthole/journal-\(String(safe)).jsonl"
    }

    /// Appends one line and fsyncs it (one `write` of the whole line, `O_APPEND`). When the file ends
    /// in a torn line (porthole was killed while appending), a newline first keeps the torn fragment
    /// on a line of its own, so it cannot spoil this record.
    public func append(_ record: JournalRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            try files.createDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
            var line = Data()
            if files.exists(path), let last = try files.read(path).last, last != 0x0A { line.append(0x0A) }
            // Masked on the way to disk, like every other output (Undoer takes masked fields back from the live object).
            line.append(try encoder.encode(Redactor().redact(record)))
            line.append(0x0A)
            try files.append(path, line)
        } catch {
            throw JournalError.unwritable(path: path, detail: (error as? FileSystemError).map(\.detail) ?? "\(error)")
        }
    }

    /// Throws `JournalError.unwritable` when a record could not be appended now (read-only or immutable file, full
    /// disk...), without changing the file: an undo checks this first, so it never reverts the cluster and then fails
    /// to record that it did.
    public func checkWritable() throws {
        do { try files.append(path, Data()) } catch {
            throw JournalError.unwritable(path: path, detail: (error as? FileSystemError).map(\.detail) ?? "\(error)")
        }
    }

    /// Every record, in file order; an absent file is an empty journal. Torn lines are skipped
    /// (`contents()` lists them).
    public func records() throws -> [JournalRecord] { try contents().records }

    /// The records, and the lines that did not decode. A line is torn when porthole was killed while
    /// appending it; a torn `intent` means its write never started, a torn `result` leaves the intent
    /// pending (state unknown), so skipping them never hides a write.
    public func contents() throws -> JournalContents {
        guard files.exists(path) else { return JournalContents(records: [], tornLines: []) }
        let data: Data
        do { data = try files.read(path) } catch {
            throw JournalError.unreadable(path: path, line: 0, detail: (error as? FileSystemError).map(\.detail) ?? "\(error)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var out = JournalContents(records: [], tornLines: [])
        for (i, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            if let r = try? decoder.decode(JournalRecord.self, from: Data(line.utf8)) { out.records.append(r) } else { out.tornLines.append(i + 1) }
        }
        return out
    }

    /// Writes that may have changed the cluster and are not undone, oldest first. An intent without a
    /// result (porthole stopped mid-write) counts: the write may have happened.
    public func pending() throws -> [JournalEntry] {
        let all = try records()
        var entries: [JournalEntry] = []
        for r in all where r.phase == .intent {
            let result = all.last { $0.id == r.id && $0.phase == .result }
            if all.contains(where: { $0.id == r.id && $0.phase == .undone && $0.error == nil }) { continue }
            if let res = result, res.error != nil, res.unreadPost == nil, res.targets.allSatisfy({ $0.post == $0.prior }) { continue }
            entries.append(JournalEntry(intent: r, result: result))
        }
        return entries
    }

    /// A fresh id: time-ordered and unique enough for one operator's journal.
    public static func newID(_ now: Date) -> String {
        let ms = Int(now.timeIntervalSince1970 * 1000)
        return "\(ms)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }
}

/// What the journal file holds.
public struct JournalContents: Sendable, Hashable {
    public var records: [JournalRecord]
    /// 1-based numbers of lines that did not decode (torn by a crash mid-append).
    public var tornLines: [Int]
}

/// A write as the journal remembers it: intent plus (maybe) result.
public struct JournalEntry: Sendable, Hashable {
    public var intent: JournalRecord
    public var result: JournalRecord?

    public var id: String { intent.id }
    /// Targets with their post state from the result record when there is one.
    public var targets: [JournalTarget] { result?.targets ?? intent.targets }

    public var pendingUndo: PendingUndo {
        PendingUndo(journalID: id, summary: intent.summary, commands: intent.undo.map { a in
            a.stop != nil ? a.display(process: result?.process)
                : ShellQuote.join(["kubectl"] + a.args) + (a.stdin != nil ? " <<'EOF' (prior object, see journal)" : "")
        })
    }
}
