import Foundation

/// Runs a program with posix_spawn and waitpid. Foundation's Process watches its child through a
/// descriptor that grandchildren inherit (tmux's server, lab children), which can keep it from ever
/// reporting the exit; tests need exact, bounded waits.
enum Spawn {
    /// Runs `argv` with `environment` (nil: this process's), stdin from `stdinPath`, stdout and stderr
    /// into files; kills it after `timeout` seconds. Returns (exit status or 128+signal, stdout, stderr).
    static func run(_ argv: [String], environment: [String: String]? = nil, stdinPath: String = "/dev/null",
                    timeout: Double = 60) throws -> (status: Int32, stdout: String, stderr: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString)").path
        let out = base + ".out", err = base + ".err"
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: err) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let cArgs = argv.map { strdup($0) } + [nil]
        let envStrings = environment.map { e in e.keys.sorted().map { "\($0)=\(e[$0]!)" } }
        let cEnv = envStrings.map { $0.map { strdup($0) } + [nil] }
        defer { for a in cArgs { free(a) }; for e in cEnv ?? [] { free(e) } }
        var pid: pid_t = 0
        let rc = cEnv.map { env in posix_spawn(&pid, argv[0], &actions, nil, cArgs, env) } ?? posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r == -1 && errno != EINTR { status = 0; break }
            if Date() > deadline {
                kill(pid, SIGTERM)
                Thread.sleep(forTimeInterval: 2)
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (code, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "", (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
