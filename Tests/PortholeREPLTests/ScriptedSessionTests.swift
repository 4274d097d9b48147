import Foundation
import PortholeCore
import PortholeNet
import Testing
@testable import PortholeREPL

/// Layer two: whole sessions with a scripted line reader against the real lab and real kubectl.
@Suite(.serialized) struct ScriptedSessionTests {
    static let kinds = "services,gateways.networking.istio.io,virtualservices.networking.istio.io,configmaps"

    @Test func istioGatewayFromProposalToReachableThenUndoAll() async throws {
        let s = try LabSession(scenario: "notes")
        defer { s.stop() }
        let before = try s.objects(Self.kinds)
        let transcript = s.dir.appendingPathComponent("s.md").path
        let reader = ScriptedLineReader([
            "use istio-gateway", "run", "fix", "apply", "y", "apply", "y", "vars", "explain",
            "export \(transcript)", "undo all", "quit",
        ])
        let status = await s.run(reader)
        let out = s.output.standardOutput
        #expect(status == .goalReached, "\(out)\n\(s.output.standardError)")
        #expect(reader.finished)
        // The cluster read once, the ranking with a reason, the proposal.
        #expect(out.contains("Istio: Istio 1.1.2 installed"))
        #expect(out.contains("Proposed: istio-gateway."))
        // `fix` showed the server's dry run and the object the fix creates.
        #expect(out.contains("accepted by the server (nothing was written)"))
        #expect(out.contains("+++ gateways.networking.istio.io/prometheus-gateway -n istio-system after the fix"))
        // Prometheus answered through the lab's outside address.
        #expect(out.contains("Goal reached: Prometheus answers at http://prometheus.example.com"))
        // The transcript: what was typed, the verdicts, the pending undo list.
        let md = try String(contentsOfFile: transcript, encoding: .utf8)
        for needle in ["use istio-gateway", "apply-gateway", "apply-virtual-service", "## Pending undos", "istio-gateway/gateway-server"] {
            #expect(md.contains(needle), "transcript lacks \(needle)")
        }
        // `undo all` put every object back; quit had nothing left to warn about.
        #expect(out.contains("Nothing porthole wrote is left in the cluster."))
        #expect(!out.contains("still in the cluster"))
        #expect(try s.objects(Self.kinds) == before)
        #expect(reader.prompts.contains("porthole istio-gateway [fix]> "))
        #expect(reader.prompts.contains("Apply fix apply-gateway? [y/N] "))
    }

    @Test func quitWithPendingUndosWarnsAndOffersThem() async throws {
        let s = try LabSession(scenario: "metallb-crds")
        defer { s.stop() }
        let reader = ScriptedLineReader(["use nodeport", "run", "apply", "y", "status", "quit", "n"])
        let status = await s.run(reader)
        let out = s.output.standardOutput
        #expect(status == .goalReached, "\(out)\n\(s.output.standardError)")
        #expect(out.contains("These changes porthole made are still in the cluster:"))
        #expect(out.contains("1. nodeport/node-port: Make istio-system/prometheus type NodePort"))
        #expect(out.contains("Left in place; `porthole undo --all` reverts them later."))
        #expect(reader.prompts.last == "Undo them all before leaving? [y/N] ")
        #expect(out.contains("1 change(s) pending undo."))
        // `status` says the verdict once, wrapped like every other line.
        #expect(out.contains("Outcome: goal reached: Prometheus answers"), "\(out)")
        #expect(!out.contains("goal reached: goal reached"), "\(out)")
        #expect(out.split(separator: "\n").allSatisfy { $0.count <= 80 }, "a line wider than 80 columns:\n\(out)")
    }

    /// The port-forward tunnel in a session: `fix` says what would start (no dry run), `apply` + y starts it,
    /// `quit` lists it and, on y, stops it.
    /// A No at `quit` leaves the changes journaled; the next session lists them before its first prompt.
    @Test func changesLeftAtQuitAreListedAtTheNextStart() async throws {
        let s = try LabSession(scenario: "metallb-crds")
        defer { s.stop() }
        _ = await s.run(ScriptedLineReader(["use nodeport", "run", "apply", "y", "quit", "n"]))
        let before = s.output.standardOutput.count
        let next = ScriptedLineReader(["undo all", "quit"])
        _ = await s.run(next)
        let out = String(s.output.standardOutput.dropFirst(before))
        let listed = out.range(of: "Changes porthole made earlier are still in the cluster")
        let prompt = out.range(of: "Proposed:")
        #expect(listed != nil && prompt != nil && listed!.lowerBound < prompt!.lowerBound, "\(out)")
        #expect(out.contains("1. nodeport/node-port: Make istio-system/prometheus type NodePort"), "\(out)")
        #expect(out.contains("Nothing porthole wrote is left in the cluster."), "\(out)")
        #expect(out.split(separator: "\n").allSatisfy { $0.count <= 80 }, "a line wider than 80 columns:\n\(out)")
    }

    /// A value set while a fix waits was silently lost when the step ended (the engine's copy of the run
    /// replaced it): `set` now refuses until the fix is applied or skipped.
    @Test func setWhileAFixWaitsIsRefusedNotLost() async throws {
        let s = try LabSession(scenario: "metallb-crds")
        defer { s.stop() }
        let reader = ScriptedLineReader(["use nodeport", "run", "set nodePort=30999", "skip", "vars", "set nodePort=30999", "vars", "quit"])
        _ = await s.run(reader)
        let lines = s.output.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("A fix is waiting: `apply` or `skip` it before `set`") }, "\(lines)")
        // Echoed once (the second `set`), and `vars` shows it unset after the skip, then set.
        #expect(lines.filter { $0 == "nodePort=30999" }.count == 1, "\(lines)")
        #expect(lines.filter { $0.hasPrefix("  nodePort=(empty)") }.count == 1, "\(lines)")
        #expect(lines.filter { $0.hasPrefix("  nodePort=30999") }.count == 1, "\(lines)")
    }

    /// `export ~/s.md` wrote to the password database's home, ignoring HOME; a directory or a missing
    /// one gave an enum's debug text (`unwritable(path: ...)`, `NSCocoaErrorDomain error 512`).
    @Test func exportTakesTildeFromHomeAndSaysWhyAPathFails() async throws {
        let s = try LabSession(scenario: "metallb-crds")
        defer { s.stop() }
        let home = s.context.environment["HOME"]!
        let style = TerminalStyle(colour: false, interactive: true)
        let reader = ScriptedLineReader(["export ~/s.md", "export \(home)", "export /nonexistent-porthole/s.md", "quit"])
        _ = await InteractiveSession.run(context: s.context, options: s.options, reader: reader, style: style)
        #expect(FileManager.default.fileExists(atPath: "\(home)/s.md"))
        #expect(s.output.standardOutput.contains("Transcript written to \(home)/s.md."), "\(s.output.standardOutput)")
        let err = s.output.standardError
        #expect(err.contains("porthole: export: \(home) is a directory; name a file in it (export \(home)/session.md)"), "\(err)")
        #expect(err.contains("porthole: error: cannot write /nonexistent-porthole/s.md: "), "\(err)")
        #expect(!err.contains("unwritable("), "\(err)")
    }

    /// An export made while a fix waits holds that step's probes, its verdict and the proposed fix, as the
    /// screen showed them (the engine records the step only once the fix is answered).
    @Test func exportWhileAFixWaitsHoldsTheWaitingStepAndFix() async throws {
        let s = try LabSession(scenario: "metallb-crds")
        defer { s.stop() }
        let path = s.dir.appendingPathComponent("waiting.md").path
        _ = await s.run(ScriptedLineReader(["use nodeport", "run", "export \(path)", "skip", "quit"]))
        let md = try String(contentsOfFile: path, encoding: .utf8)
        #expect(md.contains("### Waiting for a decision: "), "\(md)")
        #expect(md.contains("#### Fix `make-nodeport`: "), "\(md)")
        #expect(md.contains("**FAIL**: "), "\(md)")
        #expect(md.contains("kubectl --kubeconfig"), "\(md)")
        #expect(md.contains("type NodePort"), "\(md)")
    }

    /// What `undo` reverted is in the export, as the screen said it (the transcript only listed the fix's
    /// undo command and "no pending undos", never that porthole had reverted it).
    @Test func exportSaysWhatWasUndone() async throws {
        let s = try LabSession(scenario: "metallb-crds")
        defer { s.stop() }
        let path = s.dir.appendingPathComponent("undone.md").path
        _ = await s.run(ScriptedLineReader(["use nodeport", "run", "apply", "y", "undo", "export \(path)", "quit"]))
        let md = try String(contentsOfFile: path, encoding: .utf8)
        #expect(md.contains("## Undone in this session"), "\(md)")
        #expect(md.contains("undone: nodeport/node-port: Make istio-system/prometheus type NodePort"), "\(md)")
    }

    /// `set` before any playbook: a name no playbook has is refused with the closest one (`use` used to
    /// leave it aside silently), one the chosen playbook lacks is named at `use`, and a secret-named value
    /// is masked on screen as in the transcript.
    @Test func setChecksNamesAndMasksSecretValues() async throws {
        let s = try LabSession(scenario: "metallb-crds")
        defer { s.stop() }
        let style = TerminalStyle(colour: false, interactive: true)
        let reader = ScriptedLineReader(["set nmespace=monitoring", "set basicAuthHtpasswd=admin:$apr1$xyzsecret1", "vars",
                                         "use nginx-ingress", "vars", "use nodeport", "quit"])
        _ = await InteractiveSession.run(context: s.context, options: s.options, reader: reader, style: style)
        let out = s.output.standardOutput
        #expect(s.output.standardError.contains("porthole: no playbook has a variable `nmespace`; did you mean `namespace`?"), "\(s.output.standardError)")
        #expect(!out.contains("xyzsecret1"), "\(out)")
        #expect(out.contains("basicAuthHtpasswd=<masked:"), "\(out)")
        #expect(out.contains("Left aside (not variables of nodeport): basicAuthHtpasswd"), "\(out)")
        // The history file outlives the session in plain text: a line carrying a secret stays out of it.
        #expect(!reader.history.contains { $0.contains("xyzsecret1") }, "\(reader.history)")
        #expect(reader.history.contains("vars"))
    }

    @Test func aTunnelStartedByApplyIsStoppedOnQuit() async throws {
        let s = try LabSession(scenario: "notes")
        defer { s.stop() }
        let l = try TCPListener(host: "127.0.0.1", port: 0)
        let port = l.port
        l.close()
        let reader = ScriptedLineReader(["use port-forward", "set localPort=\(port)", "run", "fix", "apply", "y", "quit", "y"])
        let status = await s.run(reader)
        let out = s.output.standardOutput
        #expect(status == .goalReached, "\(out)\n\(s.output.standardError)")
        #expect(out.contains("Fix start-tunnel starts a process in the background and changes nothing in the cluster"), "\(out)")
        #expect(reader.prompts.contains("Apply fix start-tunnel? [y/N] "))
        #expect(out.contains("Goal reached: Prometheus answers at http://127.0.0.1:\(port)/"), "\(out)")
        #expect(out.contains("1. port-forward/tunnel: Start kubectl port-forward in the background"), "\(out)")
        #expect(out.contains("with SIGTERM: kubectl"), "\(out)")
        #expect(out.contains("Nothing porthole wrote is left in the cluster."), "\(out)")
        #expect(throws: NetError.refused) { _ = try TCPDialer.connect(host: "127.0.0.1", port: port, timeout: 2) }
    }

    /// Another porthole writing to the same context holds its lock: `apply` writes nothing and names it;
    /// once it is gone, `apply` goes through.
    @Test func applyWaitsForTheContextsWriteLock() async throws {
        let s = try LabSession(scenario: "metallb-crds")
        defer { s.stop() }
        let before = try s.objects("services")
        let other = try ContextLock.acquire(journal: s.options.journalPath!, files: LocalFileSystem(),
                                            command: "porthole --playbook nodeport --yes", now: Date())
        let reader = ScriptedLineReader(["use nodeport", "run", "apply", "y", "quit"])
        _ = await s.run(reader)
        #expect(s.output.standardError.contains("another porthole is changing this context"), "\(s.output.standardError)")
        #expect(s.output.standardError.contains("porthole --playbook nodeport --yes"))
        #expect(s.output.standardOutput.contains("Not applied; `apply` tries again."))
        #expect(try s.objects("services") == before)
        other.release()
        let again = ScriptedLineReader(["use nodeport", "run", "apply", "y", "undo all", "quit"])
        #expect(await s.run(again) == .goalReached, "\(s.output.standardOutput)")
    }

    @Test func declinedAndSkippedFixesAreRecordedAndNothingIsWritten() async throws {
        let s = try LabSession(scenario: "metallb-crds")
        defer { s.stop() }
        let before = try s.objects("services")
        let reader = ScriptedLineReader(["use nodeport", "run", "apply", "n", "skip", "quit"])
        let status = await s.run(reader)
        let out = s.output.standardOutput
        #expect(status == .goalNotReached, "\(out)")
        #expect(out.contains("Not applied."))
        #expect(out.contains("fix make-nodeport: declined"))
        #expect(try s.objects("services") == before)
    }

    @Test func interruptsAtThePromptAskBeforeLeaving() async throws {
        let s = try LabSession(scenario: "metallb-crds")
        defer { s.stop() }
        let reader = ScriptedLineReader(results: [.interrupted, .line("help use"), .interrupted, .interrupted, .line("y")])
        _ = await s.run(reader)
        #expect(reader.finished)
        #expect(reader.prompts.last == "Leave porthole? [y/N] ")
        #expect(s.output.standardOutput.contains("use PLAYBOOK: choose an approach"))
    }

    @Test func pipedMisuseStopsWithUsageExit() async throws {
        let s = try LabSession(scenario: "metallb-crds")
        defer { s.stop() }
        let reader = ScriptedLineReader(["aply", "quit"])
        let status = await s.run(reader)
        #expect(status == .usage)
        #expect(s.output.standardError.contains("unknown command `aply`; did you mean `apply`?"))
    }
}
