import ArgumentParser
import Foundation
import PortholeCore

/// `porthole playbooks list | show ID | validate FILE...`
struct PlaybooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playbooks", abstract: "List, show and validate playbooks.",
        discussion: ExitStatus.help,
        subcommands: [List.self, Show.self, Validate.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the shipped playbooks.")
        func run() async throws {
            let status = PlaybookCommands(findings: porthole.findings).list(liveContext(verbose: false))
            if status != .goalReached { throw ExitCode(status.rawValue) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a playbook: inputs and steps.")
        @Argument(help: "Playbook id or file.") var id: String
        func run() async throws {
            let status = PlaybookCommands(findings: porthole.findings).show(id, liveContext(verbose: false))
            if status != .goalReached { throw ExitCode(status.rawValue) }
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check playbook files as porthole does at load (exit 2 on any error).")
        @Argument(help: "Playbook files.") var files: [String]
        func run() async throws {
            let status = PlaybookCommands(findings: porthole.findings).validate(files, liveContext(verbose: false))
            if status != .goalReached { throw ExitCode(status.rawValue) }
        }
    }
}
