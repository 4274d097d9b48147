import Foundation
import PortholeTestSupport

/// The porthole binary running in the background (for signals), with its output in a file, and what is left
/// of it afterwards: child processes by pid, listeners by `ss -ltn`.
final class Spawned {
    let process = Process()
    let outputPath: String

    init(_ args: [String], harness: KubectlHarness, environment: [String: String] = [:]) throws {
        outputPath = "\(harness.workDir)/spawned-\(UUID().uuidString.prefix(6)).out"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.executableURL = URL(fileURLWithPath: PortholeBinary.path)
        process.arguments = args
        var env = harness.environment
        env["PORTHOLE_PLAYBOOKS"] = PortholeBinary.repository + "/playbooks"
        env["XDG_STATE_HOME"] = harness.workDir + "/state"
        env["PORTHOLE_LAB_WAIT"] = "300"
        process.environment = env.merging(environment) { _, b in b }
        process.standardOutput = h
        process.standardError = h
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Waits until the output contains `text`; false after `timeout` seconds.
    func waitFor(_ text: String, timeout: Double = 120) -> Bool {
        // An exited process prints no more: stop waiting then.
        _ = Wait.until(timeout: timeout, interval: 0.1) { output.contains(text) || !process.isRunning }
        return output.contains(text)
    }

    /// Waits for the exit; nil when it did not exit within `timeout`.
    func waitForExit(timeout: Double = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(pid, SIGKILL); process.waitUntilExit(); return nil }
        return process.terminationStatus
    }

    /// Every live descendant of `root` (children, their children...), read from /proc.
    static func descendants(of root: Int32) -> [Int32] {
        var parent: [Int32: Int32] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let ppid = Int32(fields[1]) { parent[pid] = ppid }
        }
        var out: [Int32] = []
        var frontier = [root]
        while let p = frontier.popLast() {
            let kids = parent.filter { $0.value == p }.map(\.key)
            out += kids
            frontier += kids
        }
        return out.sorted()
    }

    /// True while `pid` exists and is not a zombie.
    static func alive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? false)
    }

    /// The listening TCP sockets (`host:port`) on any of `hosts`, from `ss -ltn`.
    static func listeners(on hosts: [String]) -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ss")
        p.arguments = ["-ltnH"]
        let pipe = Pipe()
        p.standardOutput = pipe
        guard (try? p.run()) != nil else { return ["ss did not run"] }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let locals = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first.map(String.init)
        }
        return locals.filter { local in hosts.contains { local.hasPrefix($0 + ":") } }
    }
}
