import Foundation
import Testing
import PortholeKube
@testable import PortholeCore
import PortholeTestSupport

/// `porthole undo` with a journal it can read but not append to (read-only, immutable, full disk): it reverts nothing,
/// since it could not record the undo, and the write would stay "pending" after it was undone.
@Suite struct UndoJournalWriteTests {
    /// The in-memory disk, refusing every append.
    struct AppendRefusing: FileSystem {
        let base: InMemoryFileSystem
        func read(_ path: String) throws -> Data { try base.read(path) }
        func write(_ path: String, _ data: Data) throws { try base.write(path, data) }
        func append(_ path: String, _ data: Data) throws { throw FileSystemError.unwritable(path: path, detail: "Operation not permitted") }
        func rename(_ from: String, to: String) throws { try base.rename(from, to: to) }
        func exists(_ path: String) -> Bool { base.exists(path) }
        func list(_ directory: String) -> [String] { base.list(directory) }
        func createDirectory(_ path: String) throws {}
    }

    @Test func anUnwritableJournalStopsTheUndoBeforeAnythingIsReverted() async throws {
        var t = TestContext()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-undo-ro-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        let gateway: JSONValue = ["apiVersion": "networking.istio.io/v1alpha3", "kind": "Gateway", "metadata": ["name": "pg", "namespace": "default"]]
        let target = JournalTarget(resource: "gateways.networking.istio.io", namespace: "default", name: "pg", prior: nil, post: gateway)
        let j = UndoJournal(path: path, files: t.files)
        try j.append(JournalRecord(id: "1", phase: .intent, time: t.clock.now, summary: "create pg", targets: [target],
                                   undo: [FixApplier.undoAction(target)]))
        try j.append(JournalRecord(id: "1", phase: .result, time: t.clock.now, summary: "create pg", targets: [target]))
        t.context.files = AppendRefusing(base: t.files)
        let status = await UndoCommand(kube: KubeOptions(), journal: path, count: nil, force: true, ask: nil).execute(t.context)
        #expect(status == .environment)
        #expect(t.output.standardError.contains("cannot write the undo journal \(path): Operation not permitted"), "\(t.output.standardError)")
        #expect(t.commands.commands.isEmpty, "nothing was read or reverted: \(t.commands.commands.map(\.argv))")
    }
}
