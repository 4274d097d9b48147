import Foundation
import Testing

/// Layer three: the real binary on a pseudo-terminal (tmux) against the lab.
/// (capture-pane drops trailing spaces, so prompts are matched without theirs.)
@Suite(.serialized) struct TerminalSmokeTests {
    @Test func promptCompletionHistoryAndCtrlD() throws {
        let (dir, env) = try PortholeBinary.environment()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = try TmuxSession([PortholeBinary.path, "--lab", "metallb-crds", "--no-prometheus"], env: env, directory: dir)
        defer { t.close() }
        guard t.wait(for: "porthole>", timeout: 360) else { return }
        try t.type("use ist")
        try t.send("Tab")
        guard t.wait(for: "porthole> use istio-gateway", timeout: 10) else { return }
        try t.send("Enter")
        guard t.wait(for: "porthole istio-gateway>", timeout: 20) else { return }
        try t.enter("help use")
        guard t.wait(for: "use PLAYBOOK: choose an approach", timeout: 10) else { return }
        try t.send("Up")
        guard t.wait(for: "porthole istio-gateway> help use", timeout: 10) else { return }
        try t.send("Up")
        guard t.wait(for: "porthole istio-gateway> use istio-gateway", timeout: 10) else { return }
        try t.send("C-u")
        try t.send("C-d")
        t.wait(for: "porthole to exit", timeout: 20) { _ in !t.isAlive }
        let history = try String(contentsOfFile: "\(dir)/state/porthole/history", encoding: .utf8)
        // libedit's history file escapes spaces as \040.
        #expect(history.contains("help\\040use") || history.contains("help use"), "\(history)")
    }

    @Test func ctrlCCancelsASlowProbeAndReturnsToThePrompt() throws {
        let (dir, env) = try PortholeBinary.environment()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = try TmuxSession([PortholeBinary.path, "--lab", "metallb-crds", "--no-prometheus", "--api-latency", "200ms"], env: env, directory: dir)
        defer { t.close() }
        guard t.wait(for: "porthole>", timeout: 360) else { return }
        try t.enter("use nodeport")
        guard t.wait(for: "porthole nodeport>", timeout: 20) else { return }
        try t.enter("probe")
        guard t.wait(for: "(Ctrl-C cancels)", timeout: 20) else { return }
        try t.send("C-c")
        guard t.wait(for: "Cancelled.", timeout: 10) else { return }
        t.wait(for: "the prompt again", timeout: 10) { $0.split(separator: "\n").last(where: { !$0.isEmpty }) == "porthole nodeport>" }
        #expect(t.isAlive)
        // Ctrl-C twice at an empty prompt asks before leaving.
        try t.send("C-c")
        guard t.wait(for: "Ctrl-C again to leave", timeout: 10) else { return }
        try t.send("C-c")
        guard t.wait(for: "Leave porthole? [y/N]", timeout: 10) else { return }
        try t.enter("y")
        t.wait(for: "porthole to exit", timeout: 20) { _ in !t.isAlive }
    }

    /// Ctrl-C cancels `fix`'s server dry run instead of killing porthole, and cancels every slow probe, not
    /// only the first (an ignored SIGINT used to be discarded on the main thread after one use).
    @Test func ctrlCCancelsTheDryRunAndEverySlowStep() throws {
        let (dir, env) = try PortholeBinary.environment()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = try TmuxSession([PortholeBinary.path, "--lab", "metallb-crds", "--no-prometheus", "--api-latency", "300ms"], env: env, directory: dir)
        defer { t.close() }
        guard t.wait(for: "porthole>", timeout: 360) else { return }
        try t.enter("use nodeport")
        guard t.wait(for: "porthole nodeport>", timeout: 20) else { return }
        try t.enter("run")
        guard t.wait(for: "porthole nodeport [fix]>", timeout: 60) else { return }
        try t.send("C-l")
        try t.enter("fix")
        guard t.wait(for: "server-side dry run", timeout: 20) else { return }
        try t.send("C-c")
        guard t.wait(for: "Cancelled. Nothing was written", timeout: 10) else { return }
        #expect(t.isAlive)
        try t.enter("skip")
        guard t.wait(for: "fix make-nodeport: declined", timeout: 30) else { return }
        try t.enter("back")
        guard t.wait(for: "Back at step", timeout: 10) else { return }
        for round in 1...3 {
            try t.send("C-l")
            try t.enter("probe")
            guard t.wait(for: "(Ctrl-C cancels)", timeout: 20) else { return }
            try t.send("C-c")
            guard t.wait(for: "Cancelled. (round \(round))", timeout: 10, { $0.contains("Cancelled. The run is where it was") }) else { return }
            // The probe's kubectl (the shared batched read) is killed, not left running unobserved.
            let pid = try t.tmux(["list-panes", "-t", t.name, "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
            t.wait(for: "no kubectl left under porthole (round \(round))", timeout: 2) { _ in
                ((try? TmuxSession.spawn(["/usr/bin/pgrep", "-P", pid, "kubectl"]))?.output ?? "x").isEmpty
            }
        }
        try t.quitAndWait()
    }

    /// Output wraps at the terminal's own width (COLUMNS is not exported by shells, so it was always 80),
    /// re-read after a resize: 40 columns, then 120.
    @Test func outputFollowsTheTerminalWidthAndItsResizes() throws {
        let (dir, env) = try PortholeBinary.environment()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = try TmuxSession([PortholeBinary.path, "--lab", "metallb-crds", "--no-prometheus"], env: env, directory: dir)
        defer { t.close() }
        guard t.wait(for: "porthole>", timeout: 360) else { return }
        /// The lines after the last `help` typed, as printed (wrapped lines joined back by tmux).
        func helpLines() throws -> [String] {
            let all = try t.tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", t.name]).split(separator: "\n").map(String.init)
            guard let start = all.lastIndex(where: { $0.hasSuffix("> help") }) else { return [] }
            return Array(all[(start + 1)...]).filter { !$0.hasPrefix("porthole>") && !$0.isEmpty }
        }
        try t.tmux(["resize-window", "-t", t.name, "-x", "40"])
        try t.enter("help")
        guard t.wait(for: "searches history.", timeout: 10) else { return }
        let narrow = try helpLines()
        #expect(narrow.count > 19 && narrow.allSatisfy { $0.count <= 40 }, "\(narrow.joined(separator: "\n"))")
        try t.send("C-l")
        try t.tmux(["resize-window", "-t", t.name, "-x", "120"])
        try t.enter("help")
        guard t.wait(for: "searches history.", timeout: 10) else { return }
        let wide = try helpLines()
        #expect(wide.contains("  status          what porthole saw in the cluster, the playbook and step in progress"), "\(wide.joined(separator: "\n"))")
        #expect(wide.allSatisfy { $0.count <= 120 })
        try t.quitAndWait()
    }

    /// Non-ASCII typed at the prompt reaches porthole (libedit in the "C" locale dropped it), and an escape
    /// sequence typed with Ctrl-V is shown in caret notation, not obeyed by the terminal.
    @Test func typedUnicodeArrivesAndControlCharactersAreShown() throws {
        let (dir, env) = try PortholeBinary.environment()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = try TmuxSession([PortholeBinary.path, "--lab", "metallb-crds", "--no-prometheus"], env: env, directory: dir)
        defer { t.close() }
        guard t.wait(for: "porthole>", timeout: 360) else { return }
        try t.enter("use prométhée")
        guard t.wait(for: "no playbook `prométhée`", timeout: 10) else { return }
        try t.send("C-v")
        try t.send("Escape")
        try t.enter("[31mred")
        guard t.wait(for: "unknown command `^[[31mred`", timeout: 10) else { return }
        try t.quitAndWait()
    }

    /// Ctrl-C during `apply`'s verify, after the write: the session said "the run is where it was before"
    /// and nothing else, hiding the write; it now says the fix was written and journaled.
    @Test func ctrlCAfterTheWriteSaysTheFixWasWritten() throws {
        let (dir, env) = try PortholeBinary.environment()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = "\(dir)/journal.jsonl"
        let t = try TmuxSession([PortholeBinary.path, "--lab", "metallb-crds", "--no-prometheus", "--api-latency", "300ms", "--journal", journal],
                                env: env, directory: dir)
        defer { t.close() }
        guard t.wait(for: "porthole>", timeout: 360) else { return }
        try t.enter("use nodeport")
        guard t.wait(for: "porthole nodeport>", timeout: 20) else { return }
        try t.enter("run")
        guard t.wait(for: "porthole nodeport [fix]>", timeout: 60) else { return }
        try t.enter("apply")
        guard t.wait(for: "Apply fix make-nodeport? [y/N]", timeout: 10) else { return }
        try t.enter("y")
        let written = t.wait(for: "the write's result in the journal", timeout: 30) { _ in
            ((try? String(contentsOfFile: journal, encoding: .utf8)) ?? "").contains("\"phase\":\"result\"")
        }
        guard written else { return }
        try t.send("C-c")
        guard t.wait(for: "Fix make-nodeport was written and journaled", timeout: 20) else { return }
        try t.enter("quit")
        guard t.wait(for: "Undo them all before leaving? [y/N]", timeout: 20) else { return }
        try t.enter("y")
        t.wait(for: "porthole to exit", timeout: 30) { _ in !t.isAlive }
    }
}
