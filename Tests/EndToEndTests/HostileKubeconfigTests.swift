import Foundation
import Testing
import PortholeTestSupport

/// A kubeconfig holding a YAML alias bomb (porthole reads the kubeconfig itself, offline): refused at once with
/// exit 3 naming the file and line, not a porthole spinning until killed.
@Suite(.serialized) struct HostileKubeconfigTests {
    @Test func aKubeconfigAliasBombIsRefusedAtOnce() throws {
        let s = try CrashSafetyTests.Setup()
        defer { s.stop() }
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1...9 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
        let path = s.harness.workDir + "/bomb.kubeconfig"
        try (try String(contentsOfFile: s.lab.kubeconfigPath, encoding: .utf8) + "\n" + lines.joined(separator: "\n") + "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let r = try PortholeBinary.run(["--playbook", "nodeport", "--kubeconfig", path], harness: s.harness, timeout: 30)
        #expect(!r.timedOut, "\(r)")
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("\(path):"), "\(r)")
        #expect(r.stderr.contains("once its aliases are expanded"), "\(r)")
    }
}
