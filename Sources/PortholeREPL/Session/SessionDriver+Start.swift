import Foundation
import PortholeCore

extension SessionDriver {
    /// Reads the cluster once, says what it sees, ranks the approaches and proposes the first.
    /// False when the cluster cannot be read (exit 3) or no playbook loads (exit 2).
    func start() async -> Bool {
        guard presetsAreInputs() else { return false }
        let reading: ClusterReading
        spin("reading the cluster")
        do {
            reading = try await ClusterReading.read(options.kube, context: context)
        } catch {
            spinner.stop()
            state.forcedExit = RunPlaybook.report(error, to: context.output)
            return false
        }
        spinner.stop()
        let ids = library.paths.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
        guard !ids.isEmpty else {
            complain("porthole: error: no playbooks found (set PORTHOLE_PLAYBOOKS to the playbooks directory)")
            state.forcedExit = .usage
            return false
        }
        state.adopt(reading: reading, playbookIDs: ids)
        say(style.bold("porthole") + ": what this cluster looks like")
        say(state.overview!.lines.flatMap { TextWrap.wrap($0, width: style.width, first: "  ", indent: "    ") })
        // What an earlier session left in place (a No at `quit`) is said before anything else is proposed.
        let left = pendingUndos()
        if !left.isEmpty {
            say("")
            say(TextWrap.wrap("Changes porthole made earlier are still in the cluster, newest first (`undo` reverts the newest, `undo N` the N newest, `undo all` every one):",
                              width: style.width))
            listPendingUndos(left)
        }
        say("")
        listPlaybooks()
        if let first = state.proposed {
            say("")
            say(TextWrap.wrap("Proposed: \(first). Type `run` to start it, or `use ID` to pick another (`help` lists every command).",
                              width: style.width))
        }
        return true
    }

    /// Every `--var` must name an input of some playbook: a misspelt name (`namspace=monitoring`) would otherwise be
    /// dropped silently and the session would run against the default. False (exit 2) when one names none.
    func presetsAreInputs() -> Bool {
        guard !state.presetVariables.isEmpty, let playbooks = try? library.all(), !playbooks.isEmpty else { return true }
        let known = Set(playbooks.flatMap { $0.inputs.map(\.name) })
        let unknown = state.presetVariables.keys.filter { !known.contains($0) }.sorted()
        guard let first = unknown.first else { return true }
        let near = Suggest.closest(to: first, among: Array(known))
        complain("porthole: error: --var \(unknown.joined(separator: ", ")): no playbook has an input named so"
                 + (near.map { "; did you mean `\($0)`?" } ?? "") + " (inputs: \(known.sorted().joined(separator: ", ")))")
        state.forcedExit = .usage
        return false
    }

    /// The playbook library, validated against the wired findings catalog.
    var library: PlaybookLibrary { PlaybookLibrary(environment: context.environment, files: context.files, findings: findings.catalog) }

    /// `playbooks`: the ranking, one approach per entry with its reason.
    func listPlaybooks() {
        say("Approaches, best first for this cluster:")
        for (i, r) in state.ranking.enumerated() {
            let mark = r.id == state.run?.playbook.id ? "*" : " "
            let head = "\(mark)\(i + 1). \(r.id)" + (r.viable ? "" : " (not viable here)")
            say(TextWrap.wrap(r.reason, width: style.width, first: (r.viable ? style.bold(head) : style.dim(head)) + ": ", indent: "     "))
        }
        let extra = state.playbookIDs.filter { id in !state.ranking.contains { $0.id == id } }
        if !extra.isEmpty { say("Also in the library: " + extra.joined(separator: ", ")) }
    }

    /// Starts the progress line (TTY only).
    func spin(_ label: String, cancellable: Bool = true) {
        if style.interactive { spinner.start(label, width: style.width, cancellable: cancellable) }
    }
}
