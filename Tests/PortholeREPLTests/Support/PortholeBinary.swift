import Foundation

/// The built `porthole` executable (next to the test bundle) and an isolated environment to run it in.
enum PortholeBinary {
    /// `<build dir>/porthole`: the test bundle's directory, else `.build/debug` of the source tree.
    static var path: String {
        let besideBundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("porthole").path
        if FileManager.default.isExecutableFile(atPath: besideBundle) { return besideBundle }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/porthole").path
    }

    /// A fresh directory with `home/`, `cache/`, `state/`, and the environment using them.
    static func environment() throws -> (dir: String, env: [String: String]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-repl-\(UUID().uuidString.prefix(8))").path
        for sub in ["home", "cache", "state"] {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(sub)", withIntermediateDirectories: true)
        }
        let inherited = ProcessInfo.processInfo.environment
        var env: [String: String] = ["PATH": inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", "HOME": "\(dir)/home",
                                     "KUBECACHEDIR": "\(dir)/cache", "XDG_STATE_HOME": "\(dir)/state",
                                     "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost",
                                     "PORTHOLE_LAB_WAIT": "300", "LANG": "C.UTF-8"]
        env["KUBECONFIG"] = "\(dir)/home/absent-kubeconfig"
        return (dir, env)
    }

    /// Runs porthole with `stdin` piped in; stdout and stderr go to files so a chatty run never blocks.
    static func run(_ args: [String], stdin: String, env: [String: String], in dir: String, timeout: Double = 120) throws
        -> (status: Int32, stdout: String, stderr: String) {
        let out = "\(dir)/stdout", err = "\(dir)/stderr", input = "\(dir)/stdin"
        try Data(stdin.utf8).write(to: URL(fileURLWithPath: input))
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.environment = env
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        return (p.terminationStatus, try String(contentsOfFile: out, encoding: .utf8), try String(contentsOfFile: err, encoding: .utf8))
    }
}
