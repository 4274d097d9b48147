import Foundation
import Testing
import PortholeCore
import PortholeLab
import PortholeNet
import PortholeTestSupport

/// The port-forward playbook's tunnel, run by the real binary against an in-process lab with real kubectl:
/// started only with `--yes`, alive after porthole exits, stopped by `porthole undo`; a taken port fails
/// with kubectl's words and leaves nothing to undo.
@Suite(.serialized) struct TunnelTests {
    struct Setup {
        let lab: LabInstance
        let harness: KubectlHarness
        let journal: String

        init() throws {
            lab = try LabFixture.start("notes")
            harness = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
            journal = harness.workDir + "/state/journal.jsonl"
        }

        func stop() { harness.cleanup(); lab.stop() }

        func porthole(_ args: [String], environment: [String: String] = [:]) throws -> CommandOutcome {
            try PortholeBinary.run(args + ["--kubeconfig", lab.kubeconfigPath, "--journal", journal], harness: harness,
                                   environment: environment, timeout: 120)
        }

        func portForward(_ port: UInt16, _ extra: [String] = []) throws -> CommandOutcome {
            try porthole(["--playbook", "port-forward", "--var", "localPort=\(port)"] + extra)
        }

        var records: [JournalRecord] { (try? UndoJournal(path: journal, files: LocalFileSystem()).records()) ?? [] }
        var pending: [JournalEntry] { (try? UndoJournal(path: journal, files: LocalFileSystem()).pending()) ?? [] }
        var portForwardRequests: [String] { lab.requestLog.entries.filter { $0.path.hasSuffix("/portforward") }.map(\.path) }
    }

    /// A loopback port nothing listens on right now.
    static func freePort() throws -> UInt16 {
        let l = try TCPListener(host: "127.0.0.1", port: 0)
        defer { l.close() }
        return l.port
    }

    /// The status of `GET /-/ready` on 127.0.0.1:port, or the failure.
    static func ready(_ port: UInt16) -> Result<Int, Error> {
        Result { try HTTPClient.send(HTTPRequest(method: "GET", target: "/-/ready"), host: "127.0.0.1", port: port, connectTimeout: 2, timeout: 5).status }
    }

    /// Cleanup after a failed expectation: SIGKILL to the tunnel's group, only while pid and start time still match.
    static func kill(_ h: ProcessHandle) {
        if (try? PosixProcessLauncher().isRunning(h)) == true { killpg(h.pid, SIGKILL) }
    }

    static func refuses(_ port: UInt16) -> Bool {
        if case .failure(let e) = ready(port), e as? NetError == .refused { return true }
        return false
    }

    /// Bits 1-31 of `SigIgn` in /proc/PID/status (glibc's posix_spawn ignores its internal signals 32 and 33).
    static func ignoredStandardSignals(_ pid: Int32) -> UInt64? {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("SigIgn:") }) else { return nil }
        return UInt64(line.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces), radix: 16).map { $0 & 0x7fff_ffff }
    }

    @Test func withYesTheTunnelOutlivesPortholeAndUndoStopsIt() throws {
        let s = try Setup()
        defer { s.stop() }
        let port = try Self.freePort()
        let run = try s.portForward(port, ["--yes"])
        let handle = s.records.compactMap(\.process).first
        defer { if let h = handle { Self.kill(h) } }
        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stdout.contains("fix start-tunnel: applied"), "\(run)")
        #expect(run.stdout.contains("Pending undos (run `porthole undo`, newest first):"), "\(run)")
        #expect(s.portForwardRequests.count >= 1, "the tunnel goes through the API server")

        // porthole has exited; the tunnel it started still answers, from its own session.
        #expect((try? Self.ready(port).get()) == 200)
        let h = try #require(handle, "the result record holds the pid")
        #expect(Spawned.alive(h.pid))
        #expect(run.stdout.contains("kill -TERM -- -\(h.pid)  # pid \(h.pid) and its group, if still the one started (porthole undo checks): "
                                    + "kubectl --kubeconfig \(s.lab.kubeconfigPath) -n istio-system port-forward svc/prometheus \(port):9090"),
                "\(run)")
        // Nothing porthole ignores (InterruptGuard sets SIG_IGN before libdispatch takes SIGINT/SIGTERM over) reaches
        // the tunnel; ProcessLauncherTests proves the reset with a parent that does ignore a signal.
        #expect(Self.ignoredStandardSignals(h.pid) == 0)
        let stat = (try? String(contentsOfFile: "/proc/\(h.pid)/stat", encoding: .utf8)) ?? ""
        #expect(stat.split(separator: ")").last?.split(separator: " ").dropFirst(3).first.map(String.init) == "\(h.pid)", "its own session: \(stat)")

        let undo = try s.porthole(["undo"])
        #expect(undo.exitCode == 0, "\(undo)")
        #expect(undo.stdout.contains("stopped pid \(h.pid) with SIGTERM: kubectl"), "\(undo)")
        #expect(undo.stdout.contains("Pending undos: none."), "\(undo)")
        #expect(!Spawned.alive(h.pid))
        #expect(Self.refuses(port))
        let again = try s.porthole(["undo"])
        #expect(again.stdout.contains("Nothing to undo"), "\(again)")
    }

    /// `porthole undo` finds the default journal from the kubeconfig alone, so a tunnel can be stopped while its
    /// cluster does not answer (here: the same context, its server refusing).
    @Test func undoStopsATunnelWhileTheClusterIsUnreachable() throws {
        let s = try Setup()
        defer { s.stop() }
        let port = try Self.freePort()
        let run = try PortholeBinary.run(["--playbook", "port-forward", "--var", "localPort=\(port)", "--kubeconfig", s.lab.kubeconfigPath, "--yes"],
                                         harness: s.harness, timeout: 120)
        #expect(run.exitCode == 0, "\(run)")
        // The default journal, next to which the run put its tunnel: stopped whatever happens below.
        let state = s.harness.workDir + "/state/porthole"
        let journals = LocalFileSystem().list(state).filter { $0.hasSuffix(".jsonl") }.map { UndoJournal(path: "\(state)/\($0)", files: LocalFileSystem()) }
        let handles = journals.flatMap { ((try? $0.records()) ?? []).compactMap(\.process) }
        #expect(handles.count == 1, "\(journals.map(\.path))")
        defer { for h in handles { Self.kill(h) } }
        #expect((try? Self.ready(port).get()) == 200)
        let dead = s.harness.workDir + "/unreachable.kubeconfig"
        let text = try String(contentsOfFile: s.lab.kubeconfigPath, encoding: .utf8)
        try text.replacingOccurrences(of: s.lab.apiURL, with: "http://127.0.0.1:1").write(toFile: dead, atomically: true, encoding: .utf8)
        #expect(try String(contentsOfFile: dead, encoding: .utf8) != text)
        let undo = try PortholeBinary.run(["undo", "--kubeconfig", dead], harness: s.harness)
        #expect(undo.exitCode == 0, "\(undo)")
        #expect(undo.stdout.contains("with SIGTERM: kubectl"), "\(undo)")
        #expect(Self.refuses(port))
    }

    @Test func withoutConsentOrWithDryRunNothingStarts() throws {
        let s = try Setup()
        defer { s.stop() }
        let port = try Self.freePort()
        s.lab.requestLog.clear()
        let offered = try s.portForward(port)
        #expect(offered.exitCode == 1, "\(offered)")
        #expect(offered.stdout.contains("stopped at fix start-tunnel: nothing was started (run with --yes to apply it)"), "\(offered)")
        let dry = try s.portForward(port, ["--dry-run"])
        #expect(dry.exitCode == 1, "\(dry)")
        #expect(dry.stdout.contains("would start in the background: kubectl --kubeconfig"), "\(dry)")
        #expect(s.portForwardRequests.isEmpty, "\(s.portForwardRequests)")
        #expect(Self.refuses(port))
        #expect(s.records.isEmpty, "nothing journaled")
    }

    @Test func aTakenPortFailsWithKubectlsWordsAndLeavesNothingPending() throws {
        let s = try Setup()
        defer { s.stop() }
        // Connects time out, so the probe sees no Prometheus and proposes the tunnel; kubectl cannot bind the port.
        let (listener, plug) = try TCPListener.blackhole(host: "127.0.0.1", port: try Self.freePort())
        defer { plug.close(); listener.close() }
        let run = try s.portForward(listener.port, ["--yes"])
        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stdout.contains("fix start-tunnel: failed"), "\(run)")
        #expect(run.stdout.contains("kubectl exited right after it started"), "\(run)")
        #expect(run.stdout.contains("address already in use"), "kubectl's own message: \(run)")
        #expect(run.stdout.contains("Next: playbook nodeport"), "the approach to try instead: \(run)")
        #expect(run.stdout.hasSuffix("Pending undos: none.\n"), "\(run)")
        #expect(s.records.map(\.phase) == [.intent, .result, .undone])
        #expect(s.pending.isEmpty)
    }
}
