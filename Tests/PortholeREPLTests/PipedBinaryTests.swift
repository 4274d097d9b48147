import Foundation
import Testing

/// The real binary with piped stdin against `--lab`: same semantics and exit codes as a run, no prompt,
/// no colour, no escape codes.
@Suite(.serialized) struct PipedBinaryTests {
    @Test func scriptedSessionOnMetalLBCRDsWritesTheTranscript() throws {
        let (dir, env) = try PortholeBinary.environment()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try PortholeBinary.run(["--lab", "metallb-crds", "--no-prometheus"], stdin: "use nodeport\nrun\napply\ny\nexport \(dir)/t.md\nquit\n", env: env, in: dir, timeout: 400)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(!r.stdout.contains("\u{1B}"))
        #expect(!r.stdout.contains("porthole> ") && !r.stdout.contains("porthole nodeport> "))
        #expect(!r.stdout.contains("[y/N]"))
        #expect(r.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 || $0.hasPrefix("Apply") || $0.contains("kubectl") })
        #expect(r.stdout.contains("Goal reached"))
        #expect(r.stdout.contains("These changes porthole made are still in the cluster:"))
        // The lab and its journal end with the session: no advice to undo them later.
        #expect(r.stdout.contains("the lab stops with this session and they go with it"), "\(r.stdout)")
        #expect(!r.stdout.contains("porthole undo --all"))
        let md = try String(contentsOfFile: "\(dir)/t.md", encoding: .utf8)
        #expect(md.contains("use nodeport"))
        #expect(md.contains("make-nodeport"))
        #expect(md.contains("## Pending undos"))
    }

    @Test func unreachableClusterExitsThree() throws {
        let (dir, env) = try PortholeBinary.environment()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let kubeconfig = "\(dir)/dead.kubeconfig"
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: dead, cluster: {server: "http://127.0.0.1:9"}}]
        contexts: [{name: dead, context: {cluster: dead, user: u}}]
        current-context: dead
        users: [{name: u, user: {}}]
        """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let r = try PortholeBinary.run(["--kubeconfig", kubeconfig], stdin: "quit\n", env: env, in: dir, timeout: 60)
        #expect(r.status == 3, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("porthole: error:"))
    }
}
