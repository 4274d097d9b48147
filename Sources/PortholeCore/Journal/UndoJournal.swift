import Foundation
import PortholeKube

/// Why the journal could not be used.
public enum JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, line: Int, detail: String)
    case unwritable(path: String, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let l, let d): return "\(p):\(l): cannot read the undo journal: \(d)"
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

    public func append(_ record: JournalRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            try files.createDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
            // Masked on the way to disk, like every other output (Undoer takes masked fields back from the live object).
            var line = try encoder.encode(Redactor().redact(record))
            line.append(0x0A)
            try files.append(path, line)
        } catch {
            throw JournalError.unwritable(path: path, detail: "\(error)")
        }
    }

    /// Every record, in file order; an absent file is an empty journal.
    public func records() throws -> [JournalRecord] {
        guard files.exists(path) else { return [] }
        let data: Data
        do { data = try files.read(path) } catch { throw JournalError.unreadable(path: path, line: 0, detail: "\(error)") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var out: [JournalRecord] = []
        for (i, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated()
            where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do { out.append(try decoder.decode(JournalRecord.self, from: Data(line.utf8))) } catch {
                throw JournalError.unreadable(path: path, line: i + 1, detail: "\(error)")
            }
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
            if let res = result, res.error != nil, res.targets.allSatisfy({ $0.post == $0.prior }) { continue }
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

/// A write as the journal remembers it: intent plus (maybe) result.
public struct JournalEntry: Sendable, Hashable {
    public var intent: JournalRecord
    public var result: JournalRecord?

    public var id: String { intent.id }
    /// Targets with their post state from the result record when there is one.
    public var targets: [JournalTarget] { result?.targets ?? intent.targets }

    public var pendingUndo: PendingUndo {
        PendingUndo(journalID: id, summary: intent.summary,
                    commands: intent.undo.map { a in ShellQuote.join(["kubectl"] + a.args) + (a.stdin != nil ? " <<'EOF' (prior object, see journal)" : "") })
    }
}
