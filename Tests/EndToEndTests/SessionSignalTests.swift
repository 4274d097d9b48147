import Foundation
import Testing
import PortholeCore
import PortholeTestSupport

/// SIGTERM in the middle of a write the guided session applies: porthole finishes the write and journals its result
/// before it exits 143, as `--playbook` runs do. It used to die at once, leaving an intent without a result.
@Suite(.serialized) struct SessionSignalTests {
    @Test func sigtermDuringASessionsWriteFinishesAndJournalsIt() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        // The session reads its commands from a file; `quit` never comes before the signal.
        let commands = s.harness.workDir + "/commands"
        try "use nodeport\nrun\napply\ny\n".write(toFile: commands, atomically: true, encoding: .utf8)
        let p = try BackgroundPorthole(["--kubeconfig", s.lab.kubeconfigPath, "--journal", s.journal], harness: s.harness,
                                       environment: ["PORTHOLE_TEST_PAUSE": "before-write:\(s.marker)"], stdin: commands)
        #expect(BackgroundPorthole.waitForFile(s.marker))
        p.send(SIGTERM)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(p.isRunning, "porthole must not stop in the middle of a write")
        try FileManager.default.removeItem(atPath: s.marker)
        let r = p.wait()
        #expect(r.exitCode == 143, "\(r)")
        #expect(r.stderr.contains("finishing the write in progress"), "\(r)")
        #expect(try s.contents().records.map(\.phase) == [.intent, .result])
        let undo = try s.undo()
        #expect(undo.exitCode == 0, "\(undo)")
        #expect(s.differences().isEmpty)
    }
}
