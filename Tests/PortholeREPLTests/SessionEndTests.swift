import Foundation
import PortholeCore
import Testing
@testable import PortholeREPL

/// A piped session that an error ends (it stops at the first one, like `set -e`) never reaches `quit`, yet it still
/// lists what it changed in the cluster and how to revert it.
@Suite(.serialized) struct SessionEndTests {
    @Test func aPipedSessionEndedByAnErrorListsTheChangesItLeft() async throws {
        let s = try LabSession(scenario: "notes")
        defer { s.stop() }
        let reader = ScriptedLineReader(["use nodeport", "run", "apply", "y", "export \(s.dir.path)", "quit"])
        let status = await s.run(reader)
        let out = s.output.standardOutput
        #expect(status == .usage, "\(out)\n\(s.output.standardError)")
        #expect(s.output.standardError.contains("is a directory; name a file in it"), "\(s.output.standardError)")
        #expect(out.contains("These changes porthole made are still in the cluster:"), "\(out)")
        #expect(out.contains("nodeport/"), "\(out)")
        #expect(out.contains("`porthole undo --all` reverts them."), "\(out)")
    }
}
