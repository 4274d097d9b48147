import Foundation
import PortholeCore
import Testing
@testable import PortholeREPL

/// `porthole --var NAME=V` without `--playbook`: a name no playbook has (a typo) is refused before the cluster is
/// read, instead of being dropped silently and the session running against the default.
@Suite(.serialized) struct PresetVariableTests {
    @Test func aVarNoPlaybookHasIsRefusedNamingTheClosestInput() async throws {
        let s = try LabSession(scenario: "notes")
        defer { s.stop() }
        var options = s.options
        options.variables = ["namspace": "monitoring"]
        let reader = ScriptedLineReader(["quit"])
        let status = await InteractiveSession.run(context: s.context, options: options, reader: reader, style: .plain)
        #expect(status == .usage, "\(s.output.standardOutput)\n\(s.output.standardError)")
        #expect(s.output.standardError.contains("--var namspace: no playbook has an input named so; did you mean `namespace`?"),
                "\(s.output.standardError)")
        #expect(s.lab.requestLog.entries.isEmpty, "the cluster was not read")
    }

    @Test func aVarOnlyOnePlaybookHasIsAccepted() async throws {
        let s = try LabSession(scenario: "notes")
        defer { s.stop() }
        var options = s.options
        options.variables = ["nodePort": "30090"]
        let reader = ScriptedLineReader(["quit"])
        let status = await InteractiveSession.run(context: s.context, options: options, reader: reader, style: .plain)
        #expect(status != .usage, "\(s.output.standardError)")
        #expect(s.output.standardOutput.contains("Approaches, best first"))
    }
}
