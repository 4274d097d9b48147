import Foundation
import Testing
@testable import PortholeCore
import PortholeTestSupport

/// The journal stays usable after a crash mid-append, and the context lock names its holder.
@Suite struct CrashSafetyJournalTests {
    let path = "/state/porthole/journal-lab.jsonl"

    func record(_ id: String, _ phase: JournalRecord.Phase, _ t: TestContext) -> JournalRecord {
        JournalRecord(id: id, phase: phase, time: t.clock.now, summary: "s", undo: [UndoAction(args: ["delete", "x", id])])
    }

    @Test func aTornLastLineIsReportedAndSkipped() throws {
        let t = TestContext()
        let j = UndoJournal(path: path, files: t.files)
        try j.append(record("1", .intent, t))
        try t.files.append(path, Data("{\"id\":\"1\",\"phase\":\"resu".utf8))
        let c = try j.contents()
        #expect(c.records.map(\.id) == ["1"])
        #expect(c.tornLines == [2])
        // The intent without its result stays pending: the write may have happened.
        #expect(try j.pending().map(\.id) == ["1"])
    }

    @Test func anAppendAfterATornLineStartsOnItsOwnLine() throws {
        let t = TestContext()
        let j = UndoJournal(path: path, files: t.files)
        try j.append(record("1", .intent, t))
        try t.files.append(path, Data("{\"id\":\"1\",\"pha".utf8))
        try j.append(record("2", .intent, t))
        let c = try j.contents()
        #expect(c.records.map(\.id) == ["1", "2"])
        #expect(c.tornLines == [2])
        #expect(t.files.text(path)!.hasSuffix("\n"))
    }

    @Test func randomTruncationsNeverThrow() throws {
        let t = TestContext()
        let j = UndoJournal(path: path, files: t.files)
        for i in 0..<3 { try j.append(record("\(i)", .intent, t)); try j.append(record("\(i)", .result, t)) }
        let full = try t.files.read(path)
        for cut in stride(from: 0, through: full.count, by: 7) {
            try t.files.write(path, full.prefix(cut))
            let c = try j.contents()
            #expect(c.records.count + c.tornLines.count == String(decoding: full.prefix(cut), as: UTF8.self)
                .split(separator: "\n").count, "cut at \(cut)")
            #expect(c.tornLines.allSatisfy { $0 == c.records.count + 1 }, "only the last line can be torn (cut at \(cut))")
        }
    }

    @Test func theContextLockNamesItsHolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-lock-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = dir + "/journal.jsonl"
        let first = try ContextLock.acquire(journal: journal, files: LocalFileSystem(), command: "porthole --playbook a --yes", now: Date())
        #expect(throws: ContextLockError.self) {
            try ContextLock.acquire(journal: journal, files: LocalFileSystem(), command: "porthole undo", now: Date())
        }
        do {
            _ = try ContextLock.acquire(journal: journal, files: LocalFileSystem(), command: "porthole undo", now: Date())
        } catch let e as ContextLockError {
            #expect(e.holder.hasPrefix("pid \(ProcessInfo.processInfo.processIdentifier), `porthole --playbook a --yes` since "))
            #expect(e.path == journal + ".lock")
        }
        first.release()
        let again = try ContextLock.acquire(journal: journal, files: LocalFileSystem(), command: "porthole undo", now: Date())
        again.release()
    }
}
