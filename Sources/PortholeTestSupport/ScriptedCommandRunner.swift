import Foundation
import PortholeCore

/// A command runner that answers only the argument arrays a test scripted, in any order, and
/// throws `CommandError.unscripted` naming the argv for anything else (fail loudly, never guess).
public final class ScriptedCommandRunner: CommandRunner, @unchecked Sendable {
    /// One scripted answer; `times` nil answers forever.
    public struct Script {
        public var argv: [String]
        public var result: CommandResult
        public var times: Int?
    }

    private let lock = NSLock()
    private var scripts: [Script] = []
    private var log: [Command] = []

    /// Called with each command before it is answered (e.g. to check what was journaled before a write).
    public var observer: (@Sendable (Command) -> Void)?

    public init() {}

    /// Scripts `argv` to exit with `exitCode` printing `stdout`/`stderr`.
    public func on(_ argv: [String], exitCode: Int32 = 0, stdout: String = "", stderr: String = "", times: Int? = nil) {
        lock.lock(); defer { lock.unlock() }
        scripts.append(Script(argv: argv, result: CommandResult(argv: argv, exitCode: exitCode, stdout: Data(stdout.utf8),
                                                                 stderr: Data(stderr.utf8), duration: 0.01), times: times))
    }

    /// Every command run so far, in order.
    public var commands: [Command] { lock.lock(); defer { lock.unlock() }; return log }

    public func run(_ command: Command) async throws -> CommandResult {
        observer?(command)
        return try lock.withLock { try answer(command) }
    }

    private func answer(_ command: Command) throws -> CommandResult {
        log.append(command)
        guard let i = scripts.firstIndex(where: { $0.argv == command.argv && $0.times != 0 }) else {
            throw CommandError.unscripted(argv: command.argv)
        }
        if let t = scripts[i].times { scripts[i].times = t - 1 }
        return scripts[i].result
    }
}
