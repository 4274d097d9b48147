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
        }
        #expect(got == expected)
    }
}
