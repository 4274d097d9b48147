import Foundation
import Logging
import PortholeKube
import PortholeNet

/// Options of the simulation.
public struct SimulatorOptions: Sendable {
    /// Answer Prometheus traffic with a real `prometheus` process when one is on PATH.
    public var useRealPrometheus: Bool = true
    /// Seconds after which an installer (IstioOperator, Helm) reverts a hand edit of a Service it owns;
    /// nil: only on `Simulator.reconcileInstallers()`, which tests use to be deterministic.
    public var installerRevertDelay: Double? = 2
    public init() {}
}

/// The simulated cluster's controllers and data plane.
///
/// It reacts to every store change: a write made by others is reconciled on a serial queue before the
/// write returns to its writer; the controllers' own writes are recognised and not re-triggered.
/// Installer reverts run later, on a timer (`settle()` waits for anything queued).
/// Controllers write status and owned objects straight into the `ObjectStore`.
public final class Simulator: PodNetwork, @unchecked Sendable {
    public let store: ObjectStore
    public let topology: LabTopology
    let options: SimulatorOptions
    let logger: Logger
    private let queue = DispatchQueue(label: "porthole.lab.simulator")
    private let metallb: MetalLBController
    private var installers: InstallerOwnership?
    private var listeners: ListenerSet!
    private var prometheus: PrometheusBackend?
    private var subscription: Int?
    private let lock = NSLock()
    private var targets: [ListenerSpec: ExposureTarget] = [:]
    private var exposures: [Exposure] = []
    private var stopped = false
    /// Addresses whose listeners a fault dropped; they stay closed whatever the objects say.
    private var dropped: Set<String> = []
    private static let ownWriteKey = "porthole.lab.simulator.reconciling"

    public init(store: ObjectStore, topology: LabTopology, options: SimulatorOptions, logger: Logger) {
        self.store = store
        self.topology = topology
        self.options = options
        self.logger = logger
        self.metallb = MetalLBController(store: store, topology: topology)
        self.listeners = ListenerSet(logger: logger) { [weak self] host, port, c in self?.accept(host: host, port: port, c) }
    }

    /// Sidecar injection (when Istio is installed) and Istio's validation webhook (when it validates).
    public var admissionPlugins: [AdmissionPlugin] {
        guard let istio = topology.components.istio else { return [] }
        var plugins: [AdmissionPlugin] = [SidecarInjector(istioVersion: istio.version)]
        if istio.validation { plugins.append(IstioValidationWebhook()) }
        return plugins
    }

    /// Starts Prometheus (or the stand-in), runs every controller once, opens the listeners, and subscribes.
    public func start() throws {
        let prometheusPod = store.list(Kinds.pods).first { ServiceRole.isPrometheusPod($0, store: store, topology: topology) }
        prometheus = try PrometheusBackend.start(useReal: options.useRealPrometheus, routePrefix: ServiceRole.prometheusRoutePrefix(prometheusPod), logger: logger)
        queue.sync {
            reconcileNow()
            installers = InstallerOwnership(store: store, topology: topology)
        }
        subscription = store.subscribe { [weak self] ev in self?.observe(ev) }
    }

    /// Stops every listener and the Prometheus process; idempotent.
    public func stop() {
        if let s = subscription { store.unsubscribe(s); subscription = nil }
        queue.sync {
            stopped = true
            listeners.closeAll()
        }
        prometheus?.stop()
    }

    /// "real Prometheus 2.42.0 (pid N)" or "built-in stand-in" (or "not started").
    public var backendDescription: String { prometheus?.description ?? "not started" }

    /// The Prometheus backend (tests look at its process and data directory).
    var backend: PrometheusBackend? { prometheus }

    /// Seconds the Prometheus backend took to become ready (0 for the stand-in).
    public var backendStartupSeconds: Double { prometheus?.startupSeconds ?? 0 }

    /// Port-forward: only the running pods behind a Prometheus Service listen, on 9090 or their `--web.listen-address`
    /// port (bound to loopback or not: port-forward connects inside the pod); anything else is refused.
    public func connect(namespace: String, pod: String, port: Int) throws -> TCPConnection {
        guard let p = store.get(ObjectRef(Kinds.pods, namespace: namespace, name: pod)) else { throw NetError.refused }
        // kubectl itself refuses a pod that is not Running; a crashing or waiting container refuses as the kubelet reports it.
        guard PodReadiness.containersRun(p) else { throw NetError.refused }
        guard ServiceRole.isPrometheusPod(p, store: store, topology: topology), port == ServiceRole.prometheusListen(p).port, let backend = prometheus else { throw NetError.refused }
        return try backend.dial()
    }

    /// Waits until every change seen so far is reconciled and the listeners match the state.
    public func settle() { queue.sync {} }

    /// Reverts every pending hand edit of installer-owned Services now.
    public func reconcileInstallers() {
        queue.sync {
            guard !stopped else { return }
            withOwnWrites { _ = installers?.revert(olderThan: nil, now: Date()) }
            reconcileNow()
        }
    }

    /// What the operator reaches, address by address (for docs, tests and transcripts).
    public func operatorView() -> [Exposure] {
        settle()
        lock.lock(); defer { lock.unlock() }
        return exposures
    }

    // MARK: - Reconciling

    /// Reconciles on the writer's behalf before its write returns, so that an API write (kubectl patch)
    /// answers only once the cluster has converged: a probe right after it sees the new state.
    /// The API server holds no lock while it writes, so waiting for the queue cannot deadlock.
    private func observe(_ ev: StoreEvent) {
        if Thread.current.threadDictionary[Self.ownWriteKey] as? Bool == true { return }
        queue.sync { [weak self] in
            guard let self, !self.stopped else { return }
            if ev.ref.key == Kinds.services || ev.ref.key == InstallerOwnership.istioOperators, let inst = self.installers, inst.noteExternalChange(ev.ref, now: Date()), let delay = self.options.installerRevertDelay {
                self.queue.asyncAfter(deadline: .now() + delay) { [weak self] in
                    guard let self, !self.stopped else { return }
                    self.withOwnWrites { _ = self.installers?.revert(olderThan: delay, now: Date()) }
                    self.reconcileNow()
                }
            }
            self.reconcileNow()
        }
    }

    private func withOwnWrites(_ body: () -> Void) {
        Thread.current.threadDictionary[Self.ownWriteKey] = true
        defer { Thread.current.threadDictionary[Self.ownWriteKey] = nil }
        body()
    }

    /// Runs the controllers until nothing changes (bounded), then brings the listeners in line. On the queue.
    private func reconcileNow() {
        guard !stopped else { return }
        withOwnWrites {
            let pods = PodController(store: store, topology: topology)
            let ports = NodePortAllocator(store: store, topology: topology)
            let gatewayAPI = GatewayAPIController(store: store, topology: topology)
            let ingresses = IngressStatusController(store: store, topology: topology)
            for _ in 0..<5 {
                var wrote = pods.reconcile()
                wrote = ports.reconcile() || wrote
                wrote = metallb.reconcile() || wrote
                wrote = gatewayAPI.reconcile() || wrote
                wrote = ingresses.reconcile() || wrote
                if !wrote { break }
            }
        }
        let planner = ExposurePlanner(store: store, topology: topology, assignments: metallb.assignments, pools: metallb.pools)
        let (planned, plannedTargets) = planner.plan()
        lock.lock()
        exposures = planned
        targets = plannedTargets
        lock.unlock()
        let desired = Set(planned.filter { $0.outcome != .refused }.map {
            ListenerSpec(host: $0.address, port: $0.port, mode: $0.outcome == .answers ? .serve : .blackhole)
        })
        lock.lock(); let gone = dropped; lock.unlock()
        listeners.sync(desired.filter { !gone.contains($0.host) })
    }

    /// Closes every data-plane listener on `host` and keeps it closed (fault injection: a node goes away).
    public func dropAddress(_ host: String) {
        lock.lock(); dropped.insert(host); lock.unlock()
        queue.sync { reconcileNow() }
    }

    private func accept(host: String, port: Int, _ c: TCPConnection) {
        lock.lock()
        let target = targets[ListenerSpec(host: host, port: port, mode: .serve)]
        lock.unlock()
        guard let t = target else { c.reset(); return }
        Forwarder(store: store, topology: topology, prometheus: prometheus, logger: logger).handle(c, target: t)
    }
}
