import Foundation
import Testing
import PortholeNet
@testable import PortholeCore
import PortholeTestSupport

/// A `background` fix in the engine, with the scripted launcher: consent, dry run, the journal's intent and
/// result, a process that exits at once, verify, and undo by stopping it (also after a crash mid-start).
@Suite struct BackgroundFixTests {
    static func playbook(port: UInt16) throws -> Playbook {
        try PlaybookLoader(knownPlaybooks: []).load(text: """
        id: tunnel
        title: Tunnel
        inputs:
          localPort: {default: "\(port)"}
        steps:
          - id: tunnel
            title: Start the tunnel
            probes:
              - id: local
                timeout: 1s
                http: {url: "http://127.0.0.1:${localPort}/-/ready"}
            outcomes:
              - when: {probe: local, path: status, equals: 200}
                verdict: pass
                message: answers
              - verdict: fail
                message: nothing on ${localPort}
                fix: start
            fixes:
              - id: start
                title: Start port-forward
                background: {kubectl: [-n, istio-system, port-forward, svc/prometheus, "${localPort}:9090"]}
                verify: {probes: [local], interval: 250ms, timeout: 5s}
        """, file: "tunnel.yaml")
    }

    static func freePort() throws -> UInt16 {
        let l = try TCPListener(host: "127.0.0.1", port: 0)
        defer { l.close() }
        return l.port
    }

    static func argv(_ port: UInt16) -> [String] { ["kubectl", "-n", "istio-system", "port-forward", "svc/prometheus", "\(port):9090"] }
    let journalPath = "/state/porthole/journal-lab.jsonl"

    func run(_ t: TestContext, port: UInt16, consent: ConsentPolicy, dryRun: Bool = false) async throws -> PlaybookRun {
        let options = RunOptions(consent: consent, dryRun: dryRun, journalPath: journalPath)
        var run = PlaybookRun(playbook: try Self.playbook(port: port), inputs: [:], cluster: ClusterInfo(), options: options,
                              context: t.context, findings: .builtIn)
        _ = try await run.runToEnd()
        return run
    }

    @Test func withoutConsentOrInADryRunNothingStarts() async throws {
        let port = try Self.freePort()
        // Nothing is scripted: a spawn would throw and fail the run.
        let t = TestContext()
        let offered = try await run(t, port: port, consent: .never)
        #expect(offered.session.outcome?.summary == "stopped at fix start: nothing was started (run with --yes to apply it)")
        #expect(offered.session.steps[0].fixes[0].decision == .offered)
        let dry = try await run(t, port: port, consent: .always, dryRun: true)
        #expect(dry.session.steps[0].fixes[0].decision == .dryRun)
        #expect(dry.session.steps[0].fixes[0].output?.hasPrefix("would start in the background: kubectl -n istio-system port-forward") == true)
        #expect(t.processes.spawned.isEmpty)
        #expect(!t.files.exists(journalPath))
        #expect(t.commands.commands.isEmpty, "no server-side dry run of a port-forward")
    }

    @Test func aTunnelThatAnswersIsJournaledAndUndoneByStoppingIt() async throws {
        let port = try Self.freePort()
        let t = TestContext()
        t.processes.expectSpawn(Self.argv(port), pid: 4242)
        let server = Locked<HTTPServer?>(nil)
        // The "tunnel" opens its local port when it starts, as kubectl port-forward does.
        t.processes.onSpawn = { _, _ in
            let s = try? HTTPServer(host: "127.0.0.1", port: port) { _, _ in .respond(HTTPResponse(status: 200, contentType: "text/plain", body: "ready")) }
            s?.start()
            server.set(s)
        }
        defer { server.value?.stop() }
        let run = try await run(t, port: port, consent: .always)
        #expect(run.session.outcome?.goalReached == true, "\(run.session.steps)")
        let fix = try #require(run.session.steps.first?.fixes.first)
        #expect(fix.decision == .applied)
        #expect(fix.command == Self.argv(port))
        let spawned = try #require(t.processes.spawned.first)
        #expect(spawned.argv == Self.argv(port))
        #expect(spawned.logPath.hasPrefix("/state/porthole/processes/start-"))
        #expect(spawned.tag == fix.journalID)

        let journal = UndoJournal(path: journalPath, files: t.files)
        let records = try journal.records()
        #expect(records.map(\.phase) == [.intent, .result])
        #expect(records[0].command == Self.argv(port))
        #expect(records[0].undo == [UndoAction(stop: StopProcess(argv: Self.argv(port), tag: spawned.tag, log: spawned.logPath))])
        #expect(records[1].process == ProcessHandle(pid: 4242, startTime: 5242, tag: spawned.tag))
        #expect(run.session.pendingUndos.first?.commands.first?.hasPrefix(
            "kill -TERM -- -4242  # pid 4242 and its group, if still the one started (porthole undo checks): kubectl -n istio-system port-forward") == true)

        let outcomes = try await Undoer(kubectl: Kubectl(options: KubeOptions(), context: t.context), journal: journal)
            .undo(count: nil) { _, _ in Issue.record("a process has no drift"); return false }
        #expect(outcomes.map(\.status) == [.undone])
        #expect(outcomes.first?.details.first?.hasPrefix("stopped pid 4242 with SIGTERM: kubectl") == true)
        #expect(t.processes.stopped == [ProcessHandle(pid: 4242, startTime: 5242, tag: spawned.tag)])
        #expect(try journal.pending().isEmpty)
        #expect(t.commands.commands.isEmpty, "no kubectl command undoes a process")
    }

    @Test func aTunnelThatExitsAtOnceFailsWithItsOwnWordsAndLeavesNothingPending() async throws {
        let port = try Self.freePort()
        let t = TestContext()
        t.processes.expectSpawn(Self.argv(port), pid: 4243)
        let files = t.files, launcher = t.processes
        t.processes.onSpawn = { command, handle in
            try? files.write(command.logPath, Data("error: unable to listen on any of the requested ports: [{\(port) 9090}]\n".utf8))
            launcher.exit(handle.pid)
        }
        let run = try await run(t, port: port, consent: .always)
        #expect(run.session.outcome?.goalReached == false)
        let fix = try #require(run.session.steps.first?.fixes.first)
        #expect(fix.decision == .failed)
        // Its own words first. Another test's listener may take the freed port meanwhile; the run then adds
        // that something else answers the verify probes, which is true.
        #expect(fix.output?.hasPrefix("kubectl exited right after it started (pid 4243); it said:\n"
                + "error: unable to listen on any of the requested ports: [{\(port) 9090}]") == true, "\(fix.output ?? "")")
        #expect(fix.verify?.attempts == 1, "an exited process ends the verify wait at once")
        let journal = UndoJournal(path: journalPath, files: t.files)
        #expect(try journal.records().map(\.phase) == [.intent, .result, .undone])
        #expect(try journal.pending().isEmpty)
        #expect(run.session.pendingUndos.isEmpty)
    }

    /// A process that runs but never makes verify pass (kubectl stuck connecting) is not left behind.
    @Test func aTunnelThatNeverAnswersIsStoppedAgain() async throws {
        let port = try Self.freePort()
        let t = TestContext()
        t.processes.expectSpawn(Self.argv(port), pid: 4244)
        let run = try await run(t, port: port, consent: .always)
        let fix = try #require(run.session.steps.first?.fixes.first)
        #expect(fix.decision == .failed)
        #expect(fix.output?.hasPrefix("it did not pass verify within 5s, so porthole stopped it again (pid 4244, stopped)") == true, "\(fix.output ?? "")")
        #expect((fix.verify?.attempts ?? 0) > 1, "it waited out the budget")
        #expect(t.processes.stopped.map(\.pid) == [4244])
        let journal = UndoJournal(path: journalPath, files: t.files)
        #expect(try journal.records().map(\.phase) == [.intent, .result, .undone])
        #expect(try journal.pending().isEmpty)
    }

    @Test func aProcessThatIsAlreadyGoneIsReportedAsStopped() async throws {
        let t = TestContext()
        let journal = UndoJournal(path: journalPath, files: t.files)
        let stop = StopProcess(argv: Self.argv(9090), tag: "7-a", log: "/state/porthole/processes/start-7-a.log")
        try journal.append(JournalRecord(id: "7-a", phase: .intent, time: t.clock.now, summary: "tunnel", command: stop.argv, undo: [UndoAction(stop: stop)]))
        t.processes.expectSpawn(["kubectl"], pid: 77)
        let h = try t.processes.spawnDetached(DetachedCommand(argv: ["kubectl"], environment: [:], logPath: stop.log, tag: "7-a"))
        t.processes.exit(77)
        try journal.append(JournalRecord(id: "7-a", phase: .result, time: t.clock.now, summary: "tunnel", process: h))
        let outcomes = try await Undoer(kubectl: Kubectl(options: KubeOptions(), context: t.context), journal: journal).undo(count: nil) { _, _ in false }
        #expect(outcomes.map(\.status) == [.undone])
        #expect(outcomes.first?.details.first?.hasPrefix("already stopped: pid 77 is not running") == true)
        #expect(try journal.pending().isEmpty)
    }

    /// porthole killed between the intent and the result: the pid was never journaled, the tag was.
    @Test(arguments: [true, false]) func afterACrashMidStartUndoFindsTheProcessByItsTag(survived: Bool) async throws {
        let t = TestContext()
        let journal = UndoJournal(path: journalPath, files: t.files)
        let stop = StopProcess(argv: Self.argv(9090), tag: "8-b", log: "/state/porthole/processes/start-8-b.log")
        try journal.append(JournalRecord(id: "8-b", phase: .intent, time: t.clock.now, summary: "tunnel", command: stop.argv, undo: [UndoAction(stop: stop)]))
        let orphan = ProcessHandle(pid: 88, startTime: 9, tag: "8-b")
        t.processes.expectFind(tag: "8-b", survived ? [orphan] : [])
        let outcomes = try await Undoer(kubectl: Kubectl(options: KubeOptions(), context: t.context), journal: journal)
            .undo(count: nil) { _, _ in Issue.record("not a drift"); return false }
        #expect(outcomes.map(\.status) == [.undone])
        let details = outcomes.first?.details ?? []
        if survived {
            #expect(details == ["porthole stopped while starting it; found by its tag: pid 88",
                                "stopped pid 88 with SIGTERM: kubectl -n istio-system port-forward svc/prometheus 9090:9090"])
            #expect(t.processes.stopped == [orphan])
        } else {
            #expect(details.first?.hasPrefix("porthole stopped while starting it and no process carries its tag") == true)
            #expect(t.processes.stopped.isEmpty)
        }
        #expect(try journal.pending().isEmpty)
    }

    /// A journal line written before background fixes existed still decodes, with no process and no stop.
    @Test func anOldJournalLineStillDecodes() throws {
        let line = #"{"id":"1","phase":"intent","summary":"patch gw","targets":[],"time":"2026-11-01T10:00:00Z","undo":[{"args":["delete","svc","x"]}]}"#
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let r = try decoder.decode(JournalRecord.self, from: Data(line.utf8))
        #expect(r.undo == [UndoAction(args: ["delete", "svc", "x"])])
        #expect(r.undo.first?.stop == nil && r.process == nil && r.note == nil)
    }
}
