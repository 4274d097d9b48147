import Foundation
import Testing
import PortholeTestSupport

/// The real binary on a pseudo-terminal: a private tmux server (its own socket), keys sent with
/// `send-keys`, the screen read with `capture-pane`. Every tmux call is an argument array.
final class TmuxSession {
    let socket = "porthole-test-\(UUID().uuidString.prefix(8))"
    let name = "s"

    /// Starts `argv` in a 100x30 pane with exactly `env` (plus TERM).
    init(_ argv: [String], env: [String: String], directory: String) throws {
        var command = ["/usr/bin/env", "-i", "TERM=screen"] + env.keys.sorted().map { "\($0)=\(env[$0]!)" }
        command += argv
        _ = try tmux(["-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "-s", name, "-c", directory, "--"] + command)
    }

    /// Runs `tmux -L SOCKET ARGS` and returns its stdout and exit status. posix_spawn + waitpid, not
    /// Foundation's Process: the server tmux daemonizes inherits Process's exit-watching descriptor and
    /// would keep `waitUntilExit` from ever returning.
    @discardableResult
    func tmux(_ args: [String]) throws -> String { try Self.spawn(["/usr/bin/tmux", "-L", socket] + args).output }

    static func spawn(_ argv: [String]) throws -> (output: String, status: Int32) {
        let r = try Spawn.run(argv, timeout: 20)
        return (r.stdout, r.status)
    }

    /// The visible screen, lines joined with "\n" (tmux already normalises `\r\n`).
    func screen() -> String { (try? tmux(["capture-pane", "-p", "-t", name])) ?? "" }

    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }
    /// Sends text literally (no key-name lookup).
    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    /// Types `text` and presses Enter.
    func enter(_ text: String) throws {
        try type(text)
        try send("Enter")
    }

    /// Types `quit` and waits for porthole to exit.
    func quitAndWait() throws {
        try enter("quit")
        wait(for: "porthole to exit", timeout: 20) { _ in !isAlive }
    }

    /// Waits until `predicate` holds for the screen; records an issue with the screen when it never does.
    @discardableResult
    func wait(for what: String, timeout: Double = 60, _ predicate: (String) -> Bool) -> Bool {
        if Wait.until(timeout: timeout, interval: 0.1, { predicate(screen()) }) { return true }
        Issue.record("timed out waiting for \(what); screen:\n\(screen())")
        return false
    }

    func wait(for text: String, timeout: Double = 60) -> Bool { wait(for: text.debugDescription, timeout: timeout) { $0.contains(text) } }

    /// True while the program still runs (the session closes when it exits).
    var isAlive: Bool { hasSession() }

    private func hasSession() -> Bool {
        (try? Self.spawn(["/usr/bin/tmux", "-L", socket, "has-session", "-t", name]))?.status == 0
    }

    func close() { _ = try? tmux(["kill-server"]) }
}
