import Foundation

/// One command to run: an argument vector, never a shell string.
public struct Command: Sendable, Hashable, Codable {
    /// `argv[0]` is the program, looked up in `PATH` when it has no slash.
    public var argv: [String]
    /// Variables added to (or replacing) the runner's environment.
    public var environment: [String: String]
    /// Bytes written to the program's standard input, then closed.
    public var stdin: Data?
    /// Seconds before the whole process group is killed.
    public var timeout: Double
    /// True when cancelling the task that waits for it may kill it (a read: nothing is left half done).
    /// A write is never killed that way: it runs to its end so its outcome can be recorded.
    public var stopsOnCancel: Bool

    public init(_ argv: [String], environment: [String: String] = [:], stdin: Data? = nil, timeout: Double = 30,
                stopsOnCancel: Bool = false) {
        self.argv = argv
        self.environment = environment
        self.stdin = stdin
        self.timeout = timeout
        self.stopsOnCancel = stopsOnCancel
    }
}

/// What a finished command left behind.
public struct CommandResult: Sendable, Hashable, Codable {
    public var argv: [String]
    public var exitCode: Int32
    public var stdout: Data
    public var stderr: Data
    /// Wall time in seconds.
    public var duration: Double
    /// True when porthole killed it at its timeout.
    public var timedOut: Bool

    public init(argv: [String], exitCode: Int32, stdout: Data = Data(), stderr: Data = Data(),
                duration: Double = 0, timedOut: Bool = false) {
        self.argv = argv
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.duration = duration
        self.timedOut = timedOut
    }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Why a command could not even start.
public enum CommandError: Error, Equatable, Sendable {
    /// The program is not on `PATH` (e.g. kubectl is not installed).
    case notFound(program: String)
    /// The operating system refused to start it.
    case launchFailed(program: String, detail: String)
    /// A test double was asked for a command nobody scripted.
    case unscripted(argv: [String])
}

/// Runs commands. The live runner uses Foundation `Process`; tests script exact argument arrays.
public protocol CommandRunner: Sendable {
    func run(_ command: Command) async throws -> CommandResult
}
