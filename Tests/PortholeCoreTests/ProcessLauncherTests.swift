import Foundation
import Testing
@testable import PortholeCore
import PortholeTestSupport

/// The live launcher against real processes: detached, default signals, only 0-2 inherited, stopped by
/// identity (pid and start time), never a recycled pid.
@Suite struct ProcessLauncherTests {
    let dir: String

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-launcher-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func command(_ argv: [String], tag: String = "test-\(UUID().uuidString.prefix(8))") -> DetachedCommand {
        DetachedCommand(argv: argv, environment: [:], logPath: "\(dir)/\(tag).log", tag: tag)
    }

    /// `Name:\tvalue` from /proc/PID/status.
    static func status(_ pid: Int32, _ name: String) -> String? {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").first { $0.hasPrefix(name + ":") }.map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    /// Waits until the child's environment is readable: posix_spawn returns when the kernel releases the parent
    /// during exec, a moment before it records where the new environment lies (/proc/PID/environ is empty till then).
    static func settled(_ pid: Int32) -> [String] {
        let deadline = Date().addingTimeInterval(2)
        var env = ProcTable.environment(pid)
        while env.isEmpty, Date() < deadline {
            usleep(5_000)
            env = ProcTable.environment(pid)
        }
        return env
    }

    @Test func theChildIsDetachedWithDefaultSignalsAndOnlyItsThreeDescriptors() async throws {
        let launcher = PosixProcessLauncher()
        // An ignored SIGPIPE (the test harness ignores it too) and a descriptor without close-on-exec: both would be inherited.
        signal(SIGPIPE, SIG_IGN)
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        // A blocked SIGTERM in the spawning thread would be inherited as a blocked mask.
        var term = sigset_t(), old = sigset_t()
        sigemptyset(&term)
        sigaddset(&term, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &term, &old)
        let spawned = Result { try launcher.spawnDetached(command(["sleep", "300"])) }
        pthread_sigmask(SIG_SETMASK, &old, nil)
        let h = try spawned.get()
        defer { kill(h.pid, SIGKILL) }

        #expect(try launcher.isRunning(h))
        let stat = try #require(ProcTable.stat(h.pid))
        #expect(stat.session == h.pid, "its own session")
        #expect(stat.processGroup == h.pid, "its own process group")
        #expect(stat.startTime == h.startTime)
        // Signals 1-31 (INT, TERM, PIPE, HUP...) are default; glibc's posix_spawn itself ignores its two internal
        // real-time signals (32, 33) in every child.
        let ignored = try #require(Self.status(h.pid, "SigIgn").flatMap { UInt64($0, radix: 16) })
        #expect(ignored & 0x7fff_ffff == 0, "no ignored signal survives the spawn: SigIgn \(String(ignored, radix: 16))")
        #expect(Self.status(h.pid, "SigBlk") == "0000000000000000", "no blocked signal survives the spawn")
        // While the dynamic loader maps the child's libraries it holds one open for a moment (seen as fd 3 on a
        // loaded machine); an inherited descriptor would stay open for good.
        #expect(await Wait.until(timeout: 10) { ProcTable.openDescriptors(h.pid) == [0, 1, 2] },
                "descriptors of the child: \(ProcTable.openDescriptors(h.pid))")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(h.pid)/fd/0")) == "/dev/null")
        #expect(Self.settled(h.pid).contains("\(DetachedCommand.tagVariable)=\(h.tag)"))

        #expect(try await launcher.stop(h) == .stopped(signal: SIGTERM))
        #expect(try !launcher.isRunning(h))
        #expect(try await launcher.stop(h) == .alreadyGone)
    }

    @Test func outputGoesToTheLogAndAnExitIsSeen() async throws {
        let launcher = PosixProcessLauncher()
        let c = command(["sh", "-c", "echo listening; echo 'bind: address already in use' >&2; exit 1"])
        let h = try launcher.spawnDetached(c)
        let deadline = Date().addingTimeInterval(10)
        while try launcher.isRunning(h), Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        #expect(try !launcher.isRunning(h))
        #expect(ProcTable.stat(h.pid)?.startTime != h.startTime || ProcTable.stat(h.pid) == nil, "the exited child was reaped")
        let log = try String(contentsOfFile: c.logPath, encoding: .utf8)
        #expect(log == "listening\nbind: address already in use\n")
        #expect(try await launcher.stop(h) == .alreadyGone)
    }

    @Test func aRecycledPidIsNeverSignalled() async throws {
        let launcher = PosixProcessLauncher()
        let other = try launcher.spawnDetached(command(["sleep", "300"]))
        defer {
            kill(other.pid, SIGKILL)
            var status: Int32 = 0
            waitpid(other.pid, &status, 0)
        }
        // The journal's handle names this pid, but a process that started at another time: not ours.
        let stale = ProcessHandle(pid: other.pid, startTime: other.startTime - 1, tag: "an-old-run")
        #expect(try !launcher.isRunning(stale))
        #expect(try await launcher.stop(stale) == .alreadyGone)
        #expect(try launcher.isRunning(other), "the process now holding the pid was left alone")
        #expect(ProcTable.stat(other.pid)?.isZombie == false)
    }

    @Test func aProcessIgnoringSIGTERMIsKilledAfterTheGrace() async throws {
        let launcher = PosixProcessLauncher(grace: 0.3)
        // The shell ignores TERM for itself and its child; only SIGKILL ends the group.
        let h = try launcher.spawnDetached(command(["sh", "-c", "trap '' TERM; sleep 300 & wait"]))
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(try await launcher.stop(h) == .stopped(signal: SIGKILL))
        #expect(try !launcher.isRunning(h))
    }

    @Test func findLocatesAProcessByItsTag() async throws {
        let launcher = PosixProcessLauncher()
        let c = command(["sleep", "300"])
        let h = try launcher.spawnDetached(c)
        defer { kill(h.pid, SIGKILL) }
        _ = Self.settled(h.pid)
        #expect(try launcher.find(tag: c.tag) == [h])
        #expect(try launcher.find(tag: "no-such-tag-\(UUID().uuidString)").isEmpty)
        #expect(try await launcher.stop(h) == .stopped(signal: SIGTERM))
        #expect(try launcher.find(tag: c.tag).isEmpty)
    }

    @Test func aMissingProgramIsNamed() {
        #expect(throws: CommandError.notFound(program: "porthole-no-such-program")) {
            _ = try PosixProcessLauncher().spawnDetached(command(["porthole-no-such-program"]))
        }
    }

    @Test func theScriptedLauncherRefusesWhatWasNotScripted() async throws {
        let launcher = ScriptedProcessLauncher()
        launcher.expectSpawn(["kubectl", "port-forward", "svc/p", "9090:9090"], pid: 4242)
        #expect(throws: ScriptedProcessError.unexpected("spawn [\"kubectl\", \"proxy\"]")) {
            _ = try launcher.spawnDetached(command(["kubectl", "proxy"]))
        }
        let h = try launcher.spawnDetached(command(["kubectl", "port-forward", "svc/p", "9090:9090"]))
        #expect(h.pid == 4242)
        #expect(try launcher.isRunning(h))
        await #expect(throws: ScriptedProcessError.unexpected("stop of pid 7, never started here")) {
            _ = try await launcher.stop(ProcessHandle(pid: 7, startTime: 1, tag: ""))
        }
        launcher.exit(4242)
        #expect(try await launcher.stop(h) == .alreadyGone)
    }
}
