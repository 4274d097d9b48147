import Foundation
import Logging
import PortholeKube
import PortholeNet

/// What `LabInstance` needs from the simulation (lab-sim's `Simulator` provides it).
protocol LabSimulation: PodNetwork {
    var admissionPlugins: [AdmissionPlugin] { get }
    func start() throws
    func stop()
    var backendDescription: String { get }
    /// Closes the data plane's listeners on `host` for good (fault injection).
    func dropAddress(_ host: String)
}

/// The API alone: no controllers, no data plane; port-forward finds nothing listening.
/// For API tests that bring their own pod network (`LabOptions.simulate = false`).
final class APIOnlyCluster: LabSimulation, @unchecked Sendable {
    var admissionPlugins: [AdmissionPlugin] { [] }
    func start() throws {}
    func stop() {}
    var backendDescription: String { "no simulation (API only)" }
    func dropAddress(_ host: String) {}
    func connect(namespace: String, pod: String, port: Int) throws -> TCPConnection { throw NetError.refused }
}

extension LabInstance {
    static func makeSimulation(store: ObjectStore, topology: LabTopology, options: LabOptions, logger: Logger) -> LabSimulation {
        guard options.simulate else { return APIOnlyCluster() }
        var sim = SimulatorOptions()
        sim.useRealPrometheus = options.useRealPrometheus
        return Simulator(store: store, topology: topology, options: sim, logger: logger)
    }
}

/// The simulation behind a lab: lab-sim's controllers and data plane.
extension Simulator: LabSimulation {
}
