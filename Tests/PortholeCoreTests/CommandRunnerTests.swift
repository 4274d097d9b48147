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
        let start = Date()
        // The grandchild `sleep` holds the pipes open; only a group kill lets the read finish.
        let r = try await ProcessCommandRunner().run(Command(["sh", "-c", "sleep 30 & sleep 30"], timeout: 0.5))
        #expect(r.timedOut)
        // Without the group kill this takes the grandchild's 30 s; the margin absorbs a loaded 2-core machine.
        #expect(Date().timeIntervalSince(start) < 20)
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
