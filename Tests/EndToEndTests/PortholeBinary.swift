import Foundation
import PortholeTestSupport

/// The built `porthole` executable, found next to the test bundle in the build directory.
enum PortholeBinary {
    static let path: String = {
        var candidates: [URL] = []
        for start in [CommandLine.arguments.first, Bundle.main.executablePath, Bundle.main.bundlePath].compactMap({ $0 }) {
            var dir = URL(fileURLWithPath: start).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("porthole"))
                dir = dir.deletingLastPathComponent()
            }
        }
        var isDir: ObjCBool = false
        let found = candidates.first { FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDir) && !isDir.boolValue
            && FileManager.default.isExecutableFile(atPath: $0.path) }
        return found?.path ?? "porthole-not-built"
    }()

    /// The repository root (for the shipped playbooks).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A kubeconfig pointing at `server`, written in the harness's work directory.
    static func kubeconfig(server: String, in dir: String) throws -> String {
        let path = "\(dir)/kubeconfig-\(UUID().uuidString.prefix(6)).yaml"
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "\(server)"}}]
        contexts: [{name: c, context: {cluster: c, user: u}}]
        users: [{name: u, user: {}}]
        current-context: c
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs porthole with the harness's isolated environment (own HOME, KUBECACHEDIR, loopback no_proxy).
    static func run(_ args: [String], harness: KubectlHarness, environment: [String: String] = [:], timeout: Double = 60,
                    stdin: String? = nil) throws -> CommandOutcome {
        // Labs started with --lab queue behind other tests' labs on the same addresses instead of failing.
        var env = ["XDG_STATE_HOME": harness.workDir + "/state", "PORTHOLE_PLAYBOOKS": repository + "/playbooks", "PORTHOLE_LAB_WAIT": "120"]
        env.merge(environment) { _, b in b }
        return try harness.runProgram(path, args, stdin: stdin, timeout: timeout, extraEnvironment: env)
    }
}
