import Foundation
import Testing
import PortholeTestSupport

/// kubectl that succeeds but prints what porthole cannot use is the environment's doing, not porthole's: exit 3,
/// naming the command and what was wrong, never "internal error (please report)".
@Suite(.serialized) struct KubectlGarbageTests {
    @Test func aBatchedReadThatPrintsNoJSONIsAnEnvironmentError() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        let path = try KubectlWrapper.path(matching: "*\" get \"*\" -A -o json\"*", answer: "echo '<html>proxy login</html>'; exit 0", in: s.harness.workDir)
        let r = try PortholeBinary.run(["--playbook", "nodeport", "--kubeconfig", s.lab.kubeconfigPath], harness: s.harness,
                                       environment: ["PATH": path])
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("porthole: error: `kubectl"), "\(r)")
        #expect(r.stderr.contains("printed output that is not JSON"), "\(r)")
        #expect(!r.stderr.contains("internal error"), "\(r)")
    }
}
