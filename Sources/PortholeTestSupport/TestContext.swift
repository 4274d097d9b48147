import Foundation
import Logging
import PortholeCore

/// A context made of doubles, with handles to each so a test can script and inspect them.
public struct TestContext {
    public let commands: ScriptedCommandRunner
    public let processes: ScriptedProcessLauncher
    public let clock: FakeClock
    public let output: RecordingOutputSink
    public let files: InMemoryFileSystem
    public var context: PortholeContext

    /// Doubles everywhere except the network, which stays live (tests only dial loopback).
    public init(environment: [String: String] = [:]) {
        commands = ScriptedCommandRunner()
        processes = ScriptedProcessLauncher()
        clock = FakeClock()
        output = RecordingOutputSink()
        files = InMemoryFileSystem()
        var logger = Logger(label: "porthole.test")
        logger.logLevel = .critical
        context = PortholeContext(commands: commands, processes: processes, network: SocketNetworkProber(), clock: clock, output: output,
                                  files: files, logger: logger, environment: environment)
    }
}
