import Foundation
import Logging
import PortholeNet

/// What answers when traffic reaches Prometheus: a real `prometheus` process on a free loopback port,
/// or the built-in stand-in. Either way, callers dial `host:port`.
final class PrometheusBackend: @unchecked Sendable {
    let host = "127.0.0.1"
    let port: UInt16
    /// "real Prometheus 2.42.0 (pid N)" or "built-in stand-in".
    let description: String
    /// Seconds from launch until `/-/ready` answered 200.
    let startupSeconds: Double
    private var process: Process?
    private var tempDir: URL?
    private var standIn: HTTPServer?
    private let lock = NSLock()

    private init(port: UInt16, description: String, startupSeconds: Double, process: Process?, tempDir: URL?, standIn: HTTPServer?) {
        self.port = port; self.description = description; self.startupSeconds = startupSeconds
        self.process = process; self.tempDir = tempDir; self.standIn = standIn
    }

    deinit { stop() }

    /// The real server's process id, nil for the stand-in or once stopped.
    var pid: Int32? { lock.lock(); defer { lock.unlock() }; return process?.processIdentifier }
    /// The real server's temporary directory (config, data, log), nil for the stand-in or once stopped.
    var dataDirectory: String? { lock.lock(); defer { lock.unlock() }; return tempDir?.path }

    /// The `prometheus` executable on PATH, if any.
    static func findBinary(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for dir in (environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/prometheus"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Starts the real server when asked and available, else the stand-in; both serve under `routePrefix`
    /// ("" for `/`, else `/prometheus`), as the scenario's Prometheus pod says.
    static func start(useReal: Bool, routePrefix: String = "", logger: Logger) throws -> PrometheusBackend {
        if useReal, let binary = findBinary() { return try startReal(binary: binary, routePrefix: routePrefix, logger: logger) }
        let server = try HTTPServer(host: "127.0.0.1", port: 0) { req, _ in .respond(PrometheusStandIn.respond(req, routePrefix: routePrefix)) }
        server.start()
        return PrometheusBackend(port: server.port, description: "built-in stand-in", startupSeconds: 0, process: nil, tempDir: nil, standIn: server)
    }

    static func startReal(binary: String, routePrefix: String = "", logger: Logger) throws -> PrometheusBackend {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-lab-prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let port = try freePort()
        let config = "global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:\(port)']\n"
        try config.write(to: dir.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("prometheus.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--config.file=\(dir.path)/prometheus.yml", "--storage.tsdb.path=\(dir.path)/data",
                       "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn"] + (routePrefix.isEmpty ? [] : ["--web.route-prefix=\(routePrefix)"])
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        let started = Date()
        try p.run()
        ChildProcesses.shared.add(p.processIdentifier)
        let deadline = started.addingTimeInterval(30)
        while Date() < deadline {
            if !p.isRunning { break }
            if let r = try? HTTPClient.send(HTTPRequest(method: "GET", target: routePrefix + "/-/ready"), host: "127.0.0.1", port: port, connectTimeout: 0.2, timeout: 1),
               r.status == 200 {
                let seconds = Date().timeIntervalSince(started)
                let version = versionText(port: port, routePrefix: routePrefix)
                logger.info("real Prometheus \(version) ready on 127.0.0.1:\(port) in \(formatSeconds(seconds)) (pid \(p.processIdentifier))")
                return PrometheusBackend(port: port, description: "real Prometheus \(version) (pid \(p.processIdentifier))",
                                         startupSeconds: seconds, process: p, tempDir: dir, standIn: nil)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        if p.isRunning { p.terminate() }
        ChildProcesses.shared.remove(p.processIdentifier)
        try? FileManager.default.removeItem(at: dir)
        throw SimulatorError.prometheusDidNotStart(binary: binary, output: String(output.suffix(2000)))
    }

    /// The version from `/api/v1/status/buildinfo`.
    static func versionText(port: UInt16, routePrefix: String = "") -> String {
        guard let r = try? HTTPClient.send(HTTPRequest(method: "GET", target: routePrefix + "/api/v1/status/buildinfo"), host: "127.0.0.1", port: port, connectTimeout: 1, timeout: 2),
              let v = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any],
              let data = v["data"] as? [String: Any], let version = data["version"] as? String else { return "(version unknown)" }
        return version.split(separator: "+").first.map(String.init) ?? version
    }

    /// A port the kernel just handed out on 127.0.0.1.
    static func freePort() throws -> UInt16 {
        let l = try TCPListener(host: "127.0.0.1", port: 0)
        defer { l.close() }
        return l.port
    }

    func dial(timeout: Double = 2) throws -> TCPConnection {
        try TCPDialer.connect(host: host, port: port, timeout: timeout)
    }

    /// Kills the process (TERM, then KILL after 3 s), removes its data, stops the stand-in. Idempotent.
    func stop() {
        lock.lock(); defer { lock.unlock() }
        if let p = process {
            let pid = p.processIdentifier
            if p.isRunning {
                p.terminate()
                let deadline = Date().addingTimeInterval(3)
                while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
                if p.isRunning { kill(pid, SIGKILL); p.waitUntilExit() }
            }
            ChildProcesses.shared.remove(pid)
            process = nil
        }
        if let d = tempDir { try? FileManager.default.removeItem(at: d); tempDir = nil }
        standIn?.stop()
        standIn = nil
    }
}

/// Every child process the lab started, so that a signal handler can kill them all before exiting.
public final class ChildProcesses: @unchecked Sendable {
    public static let shared = ChildProcesses()
    private let lock = NSLock()
    private var pids: Set<Int32> = []

    private var exitHookInstalled = false

    func add(_ pid: Int32) {
        lock.lock()
        pids.insert(pid)
        // A process that exits without stopping its lab (exit() from a signal handler, a failed
        // precondition in a test) still takes its children along.
        if !exitHookInstalled { exitHookInstalled = true; atexit { ChildProcesses.shared.killAll() } }
        lock.unlock()
    }
    func remove(_ pid: Int32) { lock.lock(); pids.remove(pid); lock.unlock() }

    /// The children still running.
    public var running: [Int32] { lock.lock(); defer { lock.unlock() }; return pids.sorted() }

    /// Sends SIGKILL to every child still tracked. Safe to call from a signal-handling path.
    public func killAll() {
        lock.lock(); let all = pids; pids.removeAll(); lock.unlock()
        for pid in all { kill(pid, SIGKILL) }
    }
}
