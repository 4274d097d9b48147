import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs commands with Foundation `Process`: pipes drained concurrently (a full pipe would block the
/// child), stdin written on its own thread, and on timeout the child's whole process group killed,
/// because kubectl's dispatcher runs the real kubectl as a grandchild that holds the pipes open.
public struct ProcessCommandRunner: CommandRunner {
    public init() {}

    /// Runs `command` to its end or its timeout. When it `stopsOnCancel`, cancelling the calling task kills its
    /// process group (SIGTERM, then SIGKILL after half a second) and throws `CancellationError`.
    public func run(_ command: Command) async throws -> CommandResult {
        let control = CancelControl()
        let result = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (k: CheckedContinuation<CommandResult, Error>) in
                Thread.detachNewThread {
                    do { k.resume(returning: try Self.runBlocking(command, control: control)) } catch { k.resume(throwing: error) }
                }
            }
        } onCancel: {
            if command.stopsOnCancel { control.cancel() }
        }
        if control.isCancelled { throw CancellationError() }
        return result
    }

    /// Finds `program` in the `PATH` of `environment`, or takes it as a path when it has a slash.
    public static func locate(_ program: String, environment: [String: String]) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func runBlocking(_ command: Command, control: CancelControl = CancelControl()) throws -> CommandResult {
        guard let program = command.argv.first else { throw CommandError.launchFailed(program: "", detail: "empty argv") }
        var environment = ProcessInfo.processInfo.environment
        environment.merge(command.environment) { _, new in new }
        guard let path = locate(program, environment: environment) else { throw CommandError.notFound(program: program) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(command.argv.dropFirst())
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        // Close-on-exec for every end: other commands spawned at the same moment must not inherit them
        // (an inherited write end keeps this command's output open until that other process exits).
        // The child still gets its three ends: dup2 onto 0, 1 and 2 clears the flag on the copies.
        for pipe in [out, err, input] {
            _ = fcntl(pipe.fileHandleForReading.fileDescriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }

        let start = Date()
        if control.isCancelled { throw CancellationError() }
        do { try process.run() } catch {
            throw CommandError.launchFailed(program: program, detail: "\(error)")
        }
        let pid = process.processIdentifier
        // Foundation on Linux already spawns the child as its own group leader; this makes sure on
        // platforms where it does not (it fails harmlessly once the child has exec'd).
        _ = setpgid(pid, pid)
        control.started(pid)
        if command.stopsOnCancel { RunningReads.shared.started(pid) }
        defer {
            control.finished()
            if command.stopsOnCancel { RunningReads.shared.finished(pid) }
        }

        let drained = DispatchGroup()
        let collected = Collected()
        drain(out.fileHandleForReading, into: { collected.stdout = $0 }, group: drained)
        drain(err.fileHandleForReading, into: { collected.stderr = $0 }, group: drained)
        let stdinBytes = command.stdin ?? Data()
        Thread.detachNewThread {
            if !stdinBytes.isEmpty { try? input.fileHandleForWriting.write(contentsOf: stdinBytes) }
            try? input.fileHandleForWriting.close()
        }

        var timedOut = false
        if exited.wait(timeout: .now() + command.timeout) == .timedOut {
            timedOut = true
            killGroup(pid, signal: SIGTERM)
            if exited.wait(timeout: .now() + 0.5) == .timedOut {
                killGroup(pid, signal: SIGKILL)
                // SIGKILL cannot be ignored; a termination that is still not reported after this is Foundation's
                // to reap, and the run must not hang on it.
                _ = exited.wait(timeout: .now() + 5)
            }
        }
        // A grandchild that escaped the group could hold the pipes; never wait on it for long.
        if drained.wait(timeout: .now() + (timedOut ? 1 : 5)) == .timedOut {
            killGroup(pid, signal: SIGKILL)
        }
        return CommandResult(argv: command.argv, exitCode: timedOut || process.isRunning ? -1 : process.terminationStatus,
                             stdout: collected.stdout, stderr: collected.stderr,
                             duration: Date().timeIntervalSince(start), timedOut: timedOut)
    }

    static func killGroup(_ pid: Int32, signal: Int32) {
        if killpg(pid, signal) != 0 { kill(pid, signal) }
    }

    private static func drain(_ handle: FileHandle, into store: @escaping @Sendable (Data) -> Void, group: DispatchGroup) {
        group.enter()
        Thread.detachNewThread {
            store(handle.readDataToEndOfFile())
            group.leave()
        }
    }

    /// Kills a running command when its task is cancelled: the pid is known only once it started, and a
    /// command that already finished is never signalled (its pid may belong to someone else by then).
    final class CancelControl: @unchecked Sendable {
        private let lock = NSLock()
        private var pid: Int32?
        private var cancelled = false, done = false

        var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }

        func started(_ pid: Int32) {
            lock.lock(); self.pid = pid; let kill = cancelled; lock.unlock()
            if kill { stop(pid) }
        }

        func finished() { lock.lock(); done = true; lock.unlock() }

        func cancel() {
            lock.lock(); cancelled = true; let target = done ? nil : pid; lock.unlock()
            if let target { stop(target) }
        }

        private func stop(_ pid: Int32) {
            ProcessCommandRunner.killGroup(pid, signal: SIGTERM)
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { [self] in
                lock.lock(); let alive = !done; lock.unlock()
                if alive { ProcessCommandRunner.killGroup(pid, signal: SIGKILL) }
            }
        }
    }

    /// Output gathered by the drain threads.
    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var out = Data(), err = Data()
        var stdout: Data {
            get { lock.lock(); defer { lock.unlock() }; return out }
            set { lock.lock(); out = newValue; lock.unlock() }
        }
        var stderr: Data {
            get { lock.lock(); defer { lock.unlock() }; return err }
            set { lock.lock(); err = newValue; lock.unlock() }
        }
    }
}
