import Foundation
import Logging
import PortholeKube
import PortholeNet

/// How to start a lab.
public struct LabOptions: Sendable {
    /// The name of a shipped scenario (`notes`) or a path to a scenario file.
    public var scenario: String
    /// Seconds added before every API response (to feel a slow cluster).
    public var apiLatency: Double = 0
    /// Where to write the kubeconfig; a temporary file when nil.
    public var kubeconfigOut: String? = nil
    /// Start a real `prometheus` for Prometheus-backed Services when one is on PATH.
    public var useRealPrometheus: Bool = true
    /// Replaces the simulation's pod network for port-forward (tests point it at their own backend).
    public var podNetwork: PodNetwork? = nil
    /// Run the simulation (controllers, data plane, Prometheus). API tests turn it off to test the API alone.
    public var simulate: Bool = true
    /// Seconds to wait for another simulating lab on this machine to stop (their addresses collide).
    public var waitForOtherLab: Double = 0
    /// Serve kubectl's WebSocket port-forward (false: refuse it, so kubectl falls back to SPDY/3.1; for tests).
    var websocketPortForward: Bool = true
    /// Faults to inject (`porthole lab serve --fault`): API errors, stalls, resets, bad bodies, dropped addresses.
    public var faults: [LabFault] = []
    /// The seed of the generator that decides which requests a fault with a `share` hits.
    public var faultSeed: UInt64 = 1

    public init(scenario: String) { self.scenario = scenario }
}

/// Why a lab did not start.
public enum LabError: Error, CustomStringConvertible, Sendable {
    case scenario(ScenarioError)
    /// A scenario object the API server's own admission refused (a nodePort out of range...).
    case rejectedObject(file: String, mark: SourceMark, ref: String, message: String)
    case kubeconfig(path: String, detail: String)
    case listen(String)
    /// Another simulating lab holds the lab's loopback addresses.
    case busy(holder: String, lock: String)

    public var description: String {
        switch self {
        case .scenario(let e): return e.description
        case .rejectedObject(let f, let m, let r, let msg): return "\(f):\(m): \(r) is refused: \(msg)"
        case .kubeconfig(let p, let d): return "cannot write the kubeconfig \(p): \(d)"
        case .listen(let d): return "cannot start the lab's API server: \(d)"
        case .busy(let h, let l): return "another lab is running on this machine (\(h)); its addresses would collide. Stop it, or wait (lock \(l))"
        }
    }
}

/// A running lab: the scenario's objects in a store, the API server kubectl talks to, and the simulation.
public final class LabInstance: @unchecked Sendable {
    public let kubeconfigPath: String
    /// http://127.0.0.1:PORT
    public let apiURL: String
    public let store: ObjectStore
    public let topology: LabTopology
    /// Every API request answered (method, path, query, content type, status).
    public let requestLog: RequestLog
    let api: APIServer
    let simulation: LabSimulation
    private let ownsKubeconfig: Bool
    private let addressLock: LabAddressLock?
    private let lock = NSLock()
    private var stopped = false
    private let stopLock = NSLock()
    var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    /// "real Prometheus 2.42.0 (pid N)" or "built-in stand-in", as the simulation reports it.
    public var backendDescription: String { simulation.backendDescription }

    /// Loads the scenario, fills the store, starts the simulation and the API server; ready when it returns.
    public static func start(_ options: LabOptions, logger: Logger) throws -> LabInstance {
        let (loaded, addressLock) = try claimAddresses(options)
        let store = ObjectStore()
        try fill(store, loaded)
        let log = RequestLog()
        let simulation = makeSimulation(store: store, topology: loaded.topology, options: options, logger: logger)
        let api = APIServer(store: store, topology: loaded.topology, requestLog: log, latency: options.apiLatency,
                            podNetwork: options.podNetwork ?? simulation, logger: logger)
        api.admissionPlugins = simulation.admissionPlugins
        api.websocketPortForward = options.websocketPortForward
        if !options.faults.isEmpty { api.faults = FaultInjector(faults: options.faults, seed: options.faultSeed) }
        let port: UInt16
        do {
            try simulation.start()
            port = try api.start()
        } catch {
            api.stop(); simulation.stop()
            throw LabError.listen("\(error)")
        }
        let url = "http://127.0.0.1:\(port)"
        let path = options.kubeconfigOut ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("porthole-lab-\(UUID().uuidString.prefix(8)).kubeconfig").path
        do {
            try Kubeconfig.text(server: url, scenario: loaded.topology.name).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            api.stop(); simulation.stop()
            // The system's words ("Is a directory", "No such file or directory"), not Foundation's error dump.
            let posix = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? Error).map { $0 as NSError }
            let reason = posix.flatMap { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : nil }
                ?? (error as NSError).localizedDescription
            throw LabError.kubeconfig(path: path, detail: reason)
        }
        logger.info("lab \(loaded.topology.name) serving at \(url)")
        let instance = LabInstance(kubeconfigPath: path, apiURL: url, store: store, topology: loaded.topology, requestLog: log,
                           api: api, simulation: simulation, ownsKubeconfig: options.kubeconfigOut == nil, addressLock: addressLock)
        instance.scheduleDrops(options.faults)
        return instance
    }

    private init(kubeconfigPath: String, apiURL: String, store: ObjectStore, topology: LabTopology, requestLog: RequestLog,
                 api: APIServer, simulation: LabSimulation, ownsKubeconfig: Bool, addressLock: LabAddressLock?) {
        self.addressLock = addressLock
        self.kubeconfigPath = kubeconfigPath; self.apiURL = apiURL; self.store = store; self.topology = topology
        self.requestLog = requestLog; self.api = api; self.simulation = simulation; self.ownsKubeconfig = ownsKubeconfig
    }

    /// Stops the API server and the simulation (listeners and child processes). Idempotent.
    public func stop() {
        // A second caller (a signal handler racing the run's end) waits until the first one has finished.
        stopLock.lock(); defer { stopLock.unlock() }
        lock.lock()
        if stopped { lock.unlock(); return }
        stopped = true
        lock.unlock()
        api.stop()
        simulation.stop()
        addressLock?.release()
        if ownsKubeconfig { try? FileManager.default.removeItem(atPath: kubeconfigPath) }
    }

    deinit { stop() }

    /// Loads the scenario on the first block of loopback addresses no other lab holds (the scenario as
    /// written when free; see `AddressRelocation`), or waits `waitForOtherLab` for the written one.
    static func claimAddresses(_ options: LabOptions) throws -> (LoadedScenario, LabAddressLock?) {
        let file: String, text: String
        do {
            file = try ScenarioLocator.locate(options.scenario)
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch { throw ScenarioError.unreadable(file: file, detail: "\(error)") }
        } catch let e as ScenarioError { throw LabError.scenario(e) }
        func load(_ slot: Int) throws -> LoadedScenario {
            do { return try ScenarioLoader.parse(AddressRelocation.relocate(text, slot: slot), file: file) } catch let e as ScenarioError {
                throw LabError.scenario(e)
            }
        }
        func addresses(_ l: LoadedScenario) -> [String] { l.topology.nodes.flatMap { [$0.internalIP, $0.externalIP].compactMap { $0 } } }
        let written = try load(0)
        guard options.simulate else { return (written, nil) }
        for slot in 0..<AddressRelocation.slots {
            let candidate = slot == 0 ? written : try load(slot)
            if let lock = try? LabAddressLock(addresses: addresses(candidate), wait: 0, holder: "lab \(candidate.topology.name)") {
                if slot > 0 {
                    FileHandle.standardError.write(Data(("porthole: another lab holds \(written.topology.name)'s addresses; this one serves the same "
                        + "scenario \(AddressRelocation.shift(slot: slot)) higher in the third octet (e.g. \(addresses(candidate).first ?? ""))\n").utf8))
                }
                return (candidate, lock)
            }
        }
        return (written, try LabAddressLock(addresses: addresses(written), wait: options.waitForOtherLab, holder: "lab \(written.topology.name)"))
    }

    /// Stores the scenario's objects (Services through the API server's own allocation) and the implied ones.
    static func fill(_ store: ObjectStore, _ s: LoadedScenario) throws {
        let services = ServiceAdmission(store: store, topology: s.topology)
        let implied = ImpliedObjects.objects(for: s.topology, existing: s.objects.map(\.ref)).map { (ref: $0.0, object: $0.1, mark: SourceMark(line: 0, column: 0)) }
        for o in s.objects + implied {
            var obj = o.object
            if o.ref.key == ResourceKey(group: "", resource: "services") {
                do { obj = try services.admit(ref: o.ref, object: obj, old: nil) } catch let e as APIError {
                    throw LabError.rejectedObject(file: s.file, mark: o.mark, ref: o.ref.description, message: e.message)
                }
            }
            if o.ref.key == APIServer.namespacesKey { obj = APIServer.namespaceDefaults(obj, name: o.ref.name) }
            store.put(o.ref, obj)
        }
    }
}

/// The kubeconfig a lab writes: one cluster, one user with a dummy token, context `porthole-lab-<scenario>`.
enum Kubeconfig {
    static func text(server: String, scenario: String) -> String {
        let name = "porthole-lab-\(scenario)"
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: \(name)
          cluster:
            server: \(server)
        users:
        - name: \(name)
          user:
            token: porthole-lab-not-a-secret
        contexts:
        - name: \(name)
          context:
            cluster: \(name)
            user: \(name)
            namespace: default
        current-context: \(name)
        preferences: {}

        """
    }
}
