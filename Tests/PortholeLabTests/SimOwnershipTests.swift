import Foundation
import Testing
import PortholeKube
@testable import PortholeLab

/// Installers that own the gateway Service revert hand edits; client-side installs do not.
@Suite struct SimOwnershipTests {
    static func scenario(installedBy: String, owned: Bool) throws -> (ObjectStore, LabTopology) {
        var text = try SimFixtures.isolated("notes", replacing: ["installedBy: istioctl": "installedBy: \(installedBy)"]).text
        if owned { text = text.replacingOccurrences(of: "    heritage: Tiller\n", with: "    heritage: Tiller\n    app.kubernetes.io/managed-by: Helm\n") }
        return try SimFixtures.load(text)
    }

    static let gatewayRef = ObjectRef(ResourceKey(group: "", resource: "services"), namespace: "istio-system", name: "istio-ingressgateway")

    static func addPrometheusPort(_ store: ObjectStore) {
        var svc = store.get(gatewayRef)!
        let existing = svc["spec"]?["ports"]?.arrayValue ?? []
        svc["spec"]?["ports"] = .array(existing + [["name": "prometheus", "port": 9090, "targetPort": 9090, "nodePort": 31399, "protocol": "TCP"]])
        store.put(gatewayRef, svc)
    }

    static func ports(_ store: ObjectStore) -> [Int] { (store.get(gatewayRef)?["spec"]?["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue } }

    @Test(arguments: [("helm", true, true), ("operator", true, true), ("istioctl", false, false), ("helm", false, false)])
    func handEditLasts(installedBy: String, owned: Bool, reverted: Bool) throws {
        let (store, topology) = try Self.scenario(installedBy: installedBy, owned: owned)
        var options = SimulatorOptions()
        options.useRealPrometheus = false
        options.installerRevertDelay = nil
        let sim = Simulator(store: store, topology: topology, options: options, logger: SimFixtures.logger)
        try sim.start()
        defer { sim.stop() }
        Self.addPrometheusPort(store)
        sim.settle()
        #expect(Self.ports(store).contains(9090), "the patch lands first")
        sim.reconcileInstallers()
        #expect(Self.ports(store).contains(9090) == !reverted)
    }

    @Test func revertsAfterTheDelay() throws {
        let (store, topology) = try Self.scenario(installedBy: "operator", owned: true)
        var options = SimulatorOptions()
        options.useRealPrometheus = false
        options.installerRevertDelay = 0.2
        let sim = Simulator(store: store, topology: topology, options: options, logger: SimFixtures.logger)
        try sim.start()
        defer { sim.stop() }
        Self.addPrometheusPort(store)
        sim.settle()
        #expect(Self.ports(store).contains(9090))
        Thread.sleep(forTimeInterval: 0.5)
        sim.settle()
        #expect(!Self.ports(store).contains(9090))
    }
}
