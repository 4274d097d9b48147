import Foundation
import Logging

/// Everything porthole does to the world goes through this value: commands, sockets, time, output,
/// files, logging and the environment. Commands take it as a parameter; tests pass doubles.
///
/// No field is optional: a missing side effect is a wiring bug, never a silent fallback to `print`.
public struct PortholeContext: Sendable {
    public var commands: CommandRunner
    /// Processes that outlive a command (a `background` fix's tunnel).
    public var processes: ProcessLauncher
    public var network: NetworkProber
    public var clock: Clock
    public var output: OutputSink
    public var files: FileSystem
    public var logger: Logger
    /// The process environment (or a test's): `KUBECONFIG`, `PATH`, `XDG_STATE_HOME`, `PORTHOLE_PLAYBOOKS`...
    public var environment: [String: String]

    public init(commands: CommandRunner, processes: ProcessLauncher, network: NetworkProber, clock: Clock, output: OutputSink,
                files: FileSystem, logger: Logger, environment: [String: String]) {
        self.commands = commands
        self.processes = processes
        self.network = network
        self.clock = clock
        self.output = output
        self.files = files
        self.logger = logger
        self.environment = environment
    }

    /// The real machine: Foundation processes, posix_spawn'd background processes, PortholeNet sockets, the wall clock, stdout/stderr.
    public static func live(logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment) -> PortholeContext {
        PortholeContext(commands: ProcessCommandRunner(), processes: PosixProcessLauncher(), network: SocketNetworkProber(), clock: SystemClock(),
                        output: StandardOutputSink(), files: LocalFileSystem(), logger: logger, environment: environment)
    }
}

/// Runs blocking work (sockets, process waits) on a Dispatch thread so Swift concurrency's few
/// cooperative threads never block on I/O.
func offloaded<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (k: CheckedContinuation<T, Never>) in
        Thread.detachNewThread { k.resume(returning: work()) }
    }
}
