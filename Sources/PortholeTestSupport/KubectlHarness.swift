import Foundation

/// What one run of a command gave: its output, its exit code, and whether it was killed for taking too long.
public struct CommandOutcome: Sendable, CustomStringConvertible {
    public var stdout: String
    public var stderr: String
    /// The exit status; -1 when the process was killed after its timeout.
    public var exitCode: Int32
    public var timedOut: Bool

    public var description: String { "exit \(exitCode)\(timedOut ? " (timed out)" : "")\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// Runs the real kubectl (or any program that reads `KUBECONFIG`) against a cluster, isolated from the
/// user's configuration: its own `HOME`, `KUBECACHEDIR` and `no_proxy` for loopback.
///
/// The kubectl on these machines is a dispatcher that caches the server version and discovery per cache
/// dir, so every harness gets fresh temporary directories. Call `cleanup()` when done (it also kills
/// background processes started with `startBackground`).
///
/// ```swift
/// let k = try KubectlHarness(kubeconfig: lab.kubeconfigPath)
/// defer { k.cleanup() }
/// let r = try k.run(["get", "svc", "-A"])
/// #expect(r.exitCode == 0)
/// ```
public final class KubectlHarness: @unchecked Sendable {
    /// The kubeconfig every run uses.
    public let kubeconfig: String
    /// The kubectl executable.
    public let kubectl: String
    /// A temporary directory holding `home/` and `cache/`; removed by `cleanup()`.
    public let workDir: String
    private let lock = NSLock()
    private var background: [Process] = []

    /// Creates the temporary `HOME` and cache directory. `kubectl` defaults to the one on PATH.
    public init(kubeconfig: String, kubectl: String? = nil) throws {
        self.kubeconfig = kubeconfig
        self.kubectl = kubectl ?? KubectlHarness.findOnPath("kubectl") ?? "/usr/bin/kubectl"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-kubectl-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("home"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("cache"), withIntermediateDirectories: true)
        workDir = dir.path
        // A child that exits before reading its stdin must not kill the test process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }

    /// The isolated environment: PATH kept, `HOME`, `KUBECONFIG`, `KUBECACHEDIR`, `no_proxy` set, proxies dropped.
    public var environment: [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var env: [String: String] = [:]
        for key in ["PATH", "LANG", "LC_ALL", "TMPDIR", "TERM"] { if let v = inherited[key] { env[key] = v } }
        env["PATH"] = env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        env["HOME"] = workDir + "/home"
        env["KUBECONFIG"] = kubeconfig
        env["KUBECACHEDIR"] = workDir + "/cache"
        env["no_proxy"] = "127.0.0.1,localhost"
        env["NO_PROXY"] = "127.0.0.1,localhost"
        return env
    }

    /// Runs `kubectl args...`, feeding `stdin` when given, killing it after `timeout` seconds.
    public func run(_ args: [String], stdin: String? = nil, timeout: Double = 30) throws -> CommandOutcome {
        try runProgram(kubectl, args, stdin: stdin, timeout: timeout)
    }

    /// Runs any program with the isolated environment (e.g. a conformance script that calls kubectl itself).
    public func runProgram(_ executable: String, _ args: [String], stdin: String? = nil, timeout: Double = 30,
                           extraEnvironment: [String: String] = [:]) throws -> CommandOutcome {
        let id = UUID().uuidString.prefix(8)
        let outPath = "\(workDir)/out-\(id)", errPath = "\(workDir)/err-\(id)"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath); try? FileManager.default.removeItem(atPath: errPath) }
        // Files, not pipes: a chatty child can never block on a full pipe while we wait for it.
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.environment = environment.merging(extraEnvironment) { _, b in b }
        p.currentDirectoryURL = URL(fileURLWithPath: workDir)
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        p.standardInput = input
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        try p.run()
        // Feed stdin from another thread: a child that never reads it must not block us past the timeout.
        let writer = input.fileHandleForWriting
        let feed = Data((stdin ?? "").utf8)
        DispatchQueue.global().async {
            if !feed.isEmpty { try? writer.write(contentsOf: feed) }
            try? writer.close()
        }
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            p.terminate()
            if done.wait(timeout: .now() + 2) == .timedOut { kill(p.processIdentifier, SIGKILL); done.wait() }
        }
        try? out.close(); try? err.close()
        let stdoutText = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderrText = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return CommandOutcome(stdout: stdoutText, stderr: stderrText, exitCode: timedOut ? -1 : p.terminationStatus, timedOut: timedOut)
    }

    /// `run` for async tests: the wait happens on a GCD thread, never on Swift's cooperative pool (which has
    /// one thread per core: a test blocking it for seconds would stall every other async test in the process).
    public func run(_ args: [String], stdin: String? = nil, timeout: Double = 30) async throws -> CommandOutcome {
        try await runProgram(kubectl, args, stdin: stdin, timeout: timeout)
    }

    /// `runProgram` for async tests (see `run`).
    public func runProgram(_ executable: String, _ args: [String], stdin: String? = nil, timeout: Double = 30,
                           extraEnvironment: [String: String] = [:]) async throws -> CommandOutcome {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<CommandOutcome, Error>) in
            DispatchQueue.global().async {
                cont.resume(with: Result { try self.runProgram(executable, args, stdin: stdin, timeout: timeout, extraEnvironment: extraEnvironment) })
            }
        }
    }

    /// A program left running in the background (e.g. `kubectl port-forward`); its output goes to `outputPath`.
    public struct BackgroundProcess: Sendable {
        public let pid: Int32
        /// stdout and stderr together.
        public let outputPath: String
        /// The output so far.
        public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    }

    /// Starts `kubectl args...` in the background; `cleanup()` or `stop(_:)` terminates it.
    public func startBackground(_ args: [String]) throws -> BackgroundProcess {
        let path = "\(workDir)/bg-\(UUID().uuidString.prefix(8))"
        FileManager.default.createFile(atPath: path, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: kubectl)
        p.arguments = args
        p.environment = environment
        p.standardOutput = h
        p.standardError = h
        p.standardInput = FileHandle.nullDevice
        try p.run()
        lock.lock(); background.append(p); lock.unlock()
        return BackgroundProcess(pid: p.processIdentifier, outputPath: path)
    }

    /// Waits until the background process's output contains `text`; false after `timeout` seconds (generous: a
    /// loaded CI machine starts kubectl and its discovery slowly; a passing wait returns at once).
    public func waitForOutput(_ process: BackgroundProcess, containing text: String, timeout: Double = 60) -> Bool {
        Wait.until(timeout: timeout) { process.output.contains(text) }
    }

    /// `waitForOutput` for async tests: sleeps without holding a thread.
    public func waitForOutput(_ process: BackgroundProcess, containing text: String, timeout: Double = 60) async -> Bool {
        await Wait.until(timeout: timeout) { process.output.contains(text) }
    }

    /// Terminates one background process (by its own pid only).
    public func stop(_ process: BackgroundProcess) {
        lock.lock(); let ps = background.filter { $0.processIdentifier == process.pid }; lock.unlock()
        for p in ps where p.isRunning { p.terminate(); p.waitUntilExit() }
    }

    /// Terminates background processes and removes the temporary directories.
    public func cleanup() {
        lock.lock(); let ps = background; background.removeAll(); lock.unlock()
        for p in ps where p.isRunning { p.terminate(); p.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: workDir)
    }

    /// The first executable named `name` on PATH.
    public static func findOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
