import Foundation
import Testing
import PortholeCore
import PortholeTestSupport

@Suite struct CommandRunnerTests {
    @Test func capturesStdoutStderrExitAndStdin() async throws {
        let r = try await ProcessCommandRunner().run(Command(["sh", "-c", "cat; echo err >&2; exit 3"], stdin: Data("hello".utf8), timeout: 10))
        #expect(r.stdoutText == "hello")
        #expect(r.stderrText == "err\n")
        #expect(r.exitCode == 3)
        #expect(!r.timedOut)
    }

    @Test func hostileArgumentsStayOneArgument() async throws {
        let hostile = ["$(touch x)", "; rm -rf /", "a\nb", "'\"`"]
        let r = try await ProcessCommandRunner().run(Command(["printf", "%s|"] + hostile, timeout: 10))
        #expect(r.stdoutText == hostile.joined(separator: "|") + "|")
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        // The grandchild `sleep` holds the pipes open; only a group kill lets the read finish.
        let r = try await ProcessCommandRunner().run(Command(["sh", "-c", "sleep 30 & sleep 30"], timeout: 0.5))
        #expect(r.timedOut, "\(r)")
        // Without the group kill this takes the grandchild's 30 s. The runner's own clock, not the test's:
        // resuming this test can wait for a cooperative thread that other tests hold for minutes.
        #expect(r.duration < 10, "\(r)")
    }

    /// A read abandoned by its task (Ctrl-C in a session) is killed with its group instead of running to its timeout.
    @Test func cancellingAReadKillsItsGroup() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-cancel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pidFile = dir.appendingPathComponent("grandchild").path
        // The pid appears whole (written aside, then renamed) once the command runs.
        let command = Command(["sh", "-c", "sleep 30 & echo $! > \"$0.part\" && mv \"$0.part\" \"$0\"; sleep 30", pidFile],
                              timeout: 120, stopsOnCancel: true)
        let task = Task { try await ProcessCommandRunner().run(command) }
        // Generous: the task may wait for a cooperative thread that other tests hold on a loaded machine.
        let deadline = Date().addingTimeInterval(90)
        while !FileManager.default.fileExists(atPath: pidFile), Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        guard FileManager.default.fileExists(atPath: pidFile) else {
            task.cancel()
            Issue.record("the command never started")
            return
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        let grandchild = Int32((try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(grandchild > 0)
        // Gone within the SIGKILL grace: kill(pid, 0) fails with ESRCH once it is reaped (or is a zombie of init, also ended).
        var alive = true
        let gone = Date().addingTimeInterval(10)
        while alive, Date() < gone {
            alive = kill(grandchild, 0) == 0 && !Self.isZombie(grandchild)
            if alive { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        #expect(!alive, "the grandchild \(grandchild) still runs")
    }

    /// A process that ended but was not reaped yet (its parent was killed; init reaps it in its own time).
    static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
        return state == "Z" || state == "X"
    }

    /// A write is never killed by a cancelled task: it runs to its end so its outcome can be recorded.
    @Test func cancellingAWriteLetsItFinish() async throws {
        let task = Task { try await ProcessCommandRunner().run(Command(["sh", "-c", "sleep 0.3; echo done"], timeout: 30)) }
        try await Task.sleep(nanoseconds: 50_000_000)
        task.cancel()
        let r = try await task.value
        #expect(r.stdoutText == "done\n" && r.exitCode == 0, "\(r)")
    }

    @Test func missingProgramIsNamed() async {
        await #expect(throws: CommandError.notFound(program: "porthole-no-such-program")) {
            _ = try await ProcessCommandRunner().run(Command(["porthole-no-such-program"]))
        }
    }

    @Test func scriptedRunnerRefusesUnscriptedArgv() async throws {
        let runner = ScriptedCommandRunner()
        runner.on(["kubectl", "version"], stdout: "v1")
        #expect(try await runner.run(Command(["kubectl", "version"])).stdoutText == "v1")
        await #expect(throws: CommandError.unscripted(argv: ["kubectl", "version", "-o", "json"])) {
            _ = try await runner.run(Command(["kubectl", "version", "-o", "json"]))
        }
    }
}

@Suite struct EnvironmentProblemTests {
    @Test(arguments: [
        ("The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?", "unreachable 127.0.0.1:1"),
        ("Unable to connect to the server: dial tcp 127.0.0.1:6443: i/o timeout", "unreachable (unknown server)"),
        ("error: error loading config file \"/k\": yaml: line 2: did not find expected key", "kubeconfig"),
        ("error: You must be logged in to the server (Unauthorized)", "refused (unknown server)"),
        ("Error from server (NotFound): services \"x\" not found", "none"),
        ("Error from server (InternalError): an error on the server (\"\") has prevented the request from succeeding", "failing (unknown server)"),
        ("error: serializer for text/html; charset=utf-8 doesn't exist", "failing (unknown server)"),
        ("error: error parsing STDIN: error converting YAML to JSON: yaml: line 3: mapping values are not allowed", "none"),
        ("The Service \"x\" is invalid: spec.tls: Required value", "none"),
        // A login plugin that fails never reaches the server, though kubectl says "Unable to connect".
        ("Unable to connect to the server: getting credentials: exec: executable gke-gcloud-auth-plugin not found", "credentials (unknown server)"),
        ("Unable to connect to the server: getting credentials: exec: executable aws failed with exit code 255", "credentials (unknown server)"),
    ])
    func classifies(stderr: String, expected: String) async {
        let t = TestContext()
        let k = Kubectl(options: KubeOptions(), context: t.context)
        let problem = await k.environmentProblem(CommandResult(argv: ["kubectl"], exitCode: 1, stderr: Data(stderr.utf8)))
        let got: String
        switch problem {
        case .none: got = "none"
        case .clusterUnreachable(let s, _)?: got = "unreachable \(s)"
        case .clusterRefused(let s, _)?: got = "refused \(s)"
        case .kubeconfigInvalid?: got = "kubeconfig"
        case .kubectlMissing?: got = "missing"
        case .clusterFailing(let s, _, _)?: got = "failing \(s)"
        case .credentialsFailed(let s, _)?: got = "credentials \(s)"
        }
        #expect(got == expected)
    }
}
