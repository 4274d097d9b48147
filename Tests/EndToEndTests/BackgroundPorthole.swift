import Foundation
import PortholeTestSupport

/// The porthole binary running in the background, so a test can signal or kill it mid-run.
final class BackgroundPorthole: @unchecked Sendable {
    let process = Process()
    private let outPath: String, errPath: String
    private let done = DispatchSemaphore(value: 0)

    /// Starts `porthole args...` with the harness's isolated environment plus `environment`.
    /// `stdin`: a file to read standard input from (default /dev/null).
    init(_ args: [String], harness: KubectlHarness, environment: [String: String] = [:], stdin: String? = nil) throws {
        let id = UUID().uuidString.prefix(8)
        outPath = "\(harness.workDir)/bg-out-\(id)"
        errPath = "\(harness.workDir)/bg-err-\(id)"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        var env = harness.environment
        env["XDG_STATE_HOME"] = harness.workDir + "/state"
        env["PORTHOLE_PLAYBOOKS"] = PortholeBinary.repository + "/playbooks"
        env.merge(environment) { _, b in b }
        process.executableURL = URL(fileURLWithPath: PortholeBinary.path)
        process.arguments = args
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) } ?? FileHandle.nullDevice
        process.terminationHandler = { [done] _ in done.signal() }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func send(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the exit (killing it after `timeout`); the exit code is 128+N when a signal N ended it.
    func wait(timeout: Double = 60) -> Outcome {
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(pid, SIGKILL)
            done.wait()
        }
        let code = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Outcome(stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                              stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "", exitCode: code, timedOut: timedOut)
    }

    var isRunning: Bool { process.isRunning }

    /// How the run ended.
    struct Outcome: CustomStringConvertible {
        var stdout: String, stderr: String, exitCode: Int32, timedOut: Bool
        var description: String { "exit \(exitCode)\(timedOut ? " (timed out)" : "")\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    /// Waits until `path` exists; false after `timeout` seconds.
    static func waitForFile(_ path: String, timeout: Double = 60) -> Bool {
        Wait.until(timeout: timeout) { FileManager.default.fileExists(atPath: path) }
    }
}
