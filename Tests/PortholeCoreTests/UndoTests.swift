import Foundation
import Testing
import PortholeKube
@testable import PortholeCore
import PortholeTestSupport

@Suite struct UndoTests {
    let path = "/state/porthole/journal-lab.jsonl"
    let service: JSONValue = ["kind": "Service", "metadata": ["name": "gw", "namespace": "istio-system", "resourceVersion": "1"],
                              "spec": ["ports": [["port": 80]]]]
    var patched: JSONValue {
        var s = service
        s["spec"] = ["ports": [["port": 80], ["port": 9090]]]
        s["metadata"]?["resourceVersion"] = "2"
        return s
    }

    /// Two writes: a patch of the gateway Service (restore) then a created Gateway (delete).
    func journal(_ t: TestContext) throws -> UndoJournal {
        let j = UndoJournal(path: path, files: t.files)
        let now = t.clock.now
        let svc = JournalTarget(resource: "services", namespace: "istio-system", name: "gw", prior: service)
        try j.append(JournalRecord(id: "1", phase: .intent, time: now, summary: "patch gw", targets: [svc],
                                   undo: [FixApplier.undoAction(svc)]))
        var svcPost = svc
        svcPost.post = patched
        try j.append(JournalRecord(id: "1", phase: .result, time: now, summary: "patch gw", targets: [svcPost]))
        let gw = JournalTarget(resource: "gateways.networking.istio.io", namespace: "istio-system", name: "pg", prior: nil)
        try j.append(JournalRecord(id: "2", phase: .intent, time: now, summary: "create pg", targets: [gw], undo: [FixApplier.undoAction(gw)]))
        var gwPost = gw
        gwPost.post = ["kind": "Gateway", "metadata": ["name": "pg", "namespace": "istio-system"]]
        try j.append(JournalRecord(id: "2", phase: .result, time: now, summary: "create pg", targets: [gwPost]))
        return j
    }

    @Test func defaultPathFollowsXDG() {
        #expect(UndoJournal.defaultPath(environment: ["XDG_STATE_HOME": "/s"], context: "kind-lab") == "/s/porthole/journal-kind-lab.jsonl")
        #expect(UndoJournal.defaultPath(environment: ["HOME": "/h"], context: "a/b") == "/h/.local/state/porthole/journal-a_b.jsonl")
    }

    @Test func undoesNewestFirstAndMarksEntriesUndone() async throws {
        let t = TestContext()
        let j = try journal(t)
        t.commands.on(["kubectl", "get", "gateways.networking.istio.io", "pg", "-o", "json", "--ignore-not-found", "-n", "istio-system"],
                      stdout: "{\"kind\": \"Gateway\", \"metadata\": {\"name\": \"pg\", \"namespace\": \"istio-system\", \"resourceVersion\": \"9\", \"managedFields\": []}}")
        t.commands.on(["kubectl", "delete", "gateways.networking.istio.io", "pg", "--ignore-not-found", "-n", "istio-system"], stdout: "deleted")
        t.commands.on(["kubectl", "get", "services", "gw", "-o", "json", "--ignore-not-found", "-n", "istio-system"], stdout: patched.compactJSON)
        t.commands.on(["kubectl", "replace", "-f", "-"], stdout: "replaced")
        let undoer = Undoer(kubectl: Kubectl(options: KubeOptions(), context: t.context), journal: j)
        let outcomes = try await undoer.undo(count: nil) { _, _ in Issue.record("no drift expected"); return false }
        #expect(outcomes.map(\.id) == ["2", "1"])
        #expect(outcomes.map(\.status) == [.undone, .undone])
        let writes = t.commands.commands.filter { $0.argv[1] != "get" }
        #expect(writes.map(\.argv) == [["kubectl", "delete", "gateways.networking.istio.io", "pg", "--ignore-not-found", "-n", "istio-system"],
                                       ["kubectl", "replace", "-f", "-"]])
        let restored = try JSONValue.parse(writes[1].stdin!)
        // The prior object, carrying the live resourceVersion (custom resources refuse an update without one).
        #expect(restored == ["kind": "Service", "metadata": ["name": "gw", "namespace": "istio-system", "resourceVersion": "2"],
                             "spec": ["ports": [["port": 80]]]])
        #expect(try j.pending().isEmpty)
        #expect(try j.records().map(\.phase) == [.intent, .result, .intent, .result, .undone, .undone])
    }

    @Test func driftIsShownAndMustBeConfirmed() async throws {
        let t = TestContext()
        let j = try journal(t)
        t.commands.on(["kubectl", "get", "gateways.networking.istio.io", "pg", "-o", "json", "--ignore-not-found", "-n", "istio-system"],
                      stdout: "{\"kind\": \"Gateway\", \"metadata\": {\"name\": \"pg\", \"namespace\": \"istio-system\"}, \"spec\": {\"edited\": true}}")
        let undoer = Undoer(kubectl: Kubectl(options: KubeOptions(), context: t.context), journal: j)
        let shown = Locked("")
        let outcomes = try await undoer.undo(count: 1) { _, diff in shown.set(diff); return false }
        #expect(outcomes.map(\.status) == [.keptAfterDrift])
        #expect(shown.value.contains("gateways.networking.istio.io/pg -n istio-system changed since porthole wrote it"))
        #expect(shown.value.contains("+     \"spec\": {"))
        #expect(try j.pending().map(\.id) == ["1", "2"])
        #expect(!t.commands.commands.contains { $0.argv[1] == "delete" })
    }

    @Test func anInterruptedWriteStaysPending() throws {
        let t = TestContext()
        let j = UndoJournal(path: path, files: t.files)
        try j.append(JournalRecord(id: "x", phase: .intent, time: t.clock.now, summary: "s", undo: [UndoAction(args: ["delete", "x", "y"])]))
        #expect(try j.pending().map(\.id) == ["x"])
        #expect(try j.pending()[0].pendingUndo.commands == ["kubectl delete x y"])
    }
}
