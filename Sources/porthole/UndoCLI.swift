import ArgumentParser
import Foundation
import PortholeCore

/// `porthole undo [--journal F] [--all | N]`
struct UndoCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo", abstract: "Revert what porthole wrote, newest first, checking nothing changed since.",
        discussion: ExitStatus.help)

    @Argument(help: "How many of the newest writes to undo (default 1).") var count: Int?
    @Flag(name: .long, help: "Undo every pending write.") var all = false
    @Option(name: .long, help: "Undo journal file.") var journal: String?
    @Flag(name: .long, help: "Undo even when an object changed since porthole wrote it.") var force = false
    @OptionGroup var cluster: ClusterOptions
    @Flag(name: .long, help: "Log what porthole runs to stderr (masked).") var verbose = false

    func validate() throws {
        if all, count != nil { throw ValidationError("Give --all or N, not both.") }
        if let c = count, c < 1 { throw ValidationError("N must be at least 1.") }
    }

    func run() async throws {
        let ask: (@Sendable (String) async -> Bool)? = isatty(0) == 1 ? { @Sendable prompt in
            StandardStreams.write(prompt, to: STDOUT_FILENO)
            return readLine()?.lowercased().hasPrefix("y") == true
        } : nil
        InterruptGuard.shared.install()
        let command = UndoCommand(kube: cluster.kube, journal: journal, count: all ? nil : (count ?? 1), force: force, ask: ask)
        let status = await command.execute(liveContext(verbose: verbose))
        if status != .goalReached { throw ExitCode(status.rawValue) }
    }
}
