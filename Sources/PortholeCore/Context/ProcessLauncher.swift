import Foundation

/// A process porthole started in the background (a `kubectl port-forward` tunnel), identified beyond
/// its pid: a pid is reused once its process is gone, its start time is not.
public struct ProcessHandle: Sendable, Hashable, Codable {
    public var pid: Int32
    /// Clock ticks after boot when it started (`/proc/PID/stat` field 22).
    public var startTime: UInt64
    /// The value of `PORTHOLE_PROCESS_TAG` in its environment, inherited by whatever it execs or forks:
    /// how porthole finds it again when it was killed before it could journal the pid.
    public var tag: String

    public init(pid: Int32, startTime: UInt64, tag: String) {
        self.pid = pid
        self.startTime = startTime
        self.tag = tag
    }
}

/// A long-running command to start detached from porthole: never through a shell.
public struct DetachedCommand: Sendable, Hashable {
    /// `argv[0]` is looked up in the `PATH` of the merged environment.
    public var argv: [String]
    /// Added to (or replacing) porthole's own environment, like `Command.environment`.
    public var environment: [String: String]
    /// Where its stdout and stderr go (appended; created 0600), so a process that dies can be explained.
    public var logPath: String
    /// Set as `PORTHOLE_PROCESS_TAG` in its environment; see `ProcessHandle.tag`.
    public var tag: String

    public init(argv: [String], environment: [String: String], logPath: String, tag: String) {
        self.argv = argv
        self.environment = environment
        self.logPath = logPath
        self.tag = tag
    }

    /// The environment variable that carries `tag`.
    public static let tagVariable = "PORTHOLE_PROCESS_TAG"
}

/// How a stop went.
public enum StopResult: Sendable, Hashable {
    /// It was running and is gone now; `signal` is the one that ended it (SIGTERM, or SIGKILL after the grace).
    case stopped(signal: Int32)
    /// Nothing with that identity runs (it exited by itself, or was stopped before).
    case alreadyGone
}

/// Starts and stops processes that outlive porthole (the side effect behind a `background` fix).
/// The live implementation is `PosixProcessLauncher`; tests script `ScriptedProcessLauncher`.
public protocol ProcessLauncher: Sendable {
    /// Starts `command` in its own session (a terminal's Ctrl-C or porthole's exit does not reach it), with
    /// default signal dispositions, stdin from /dev/null and output to `command.logPath`.
    /// Throws `CommandError.notFound` / `.launchFailed`.
    func spawnDetached(_ command: DetachedCommand) throws -> ProcessHandle
    /// True while the process with this pid *and* start time (or one tagged from it in its session) runs.
    func isRunning(_ handle: ProcessHandle) throws -> Bool
    /// SIGTERM to its process group, a short wait, then SIGKILL. Never signals a recycled pid.
    func stop(_ handle: ProcessHandle) async throws -> StopResult
    /// Running processes whose environment carries `tag` (crash recovery: the journal has the tag, not the pid).
    func find(tag: String) throws -> [ProcessHandle]
}
