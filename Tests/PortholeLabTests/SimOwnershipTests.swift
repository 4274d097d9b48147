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

/// The lasting way with the in-cluster operator: the IstioOperator's port overlay.
@Suite struct SimOperatorOverlayTests {
    static let gateway = ObjectRef(ResourceKey(group: "", resource: "services"), namespace: "istio-system", name: "istio-ingressgateway")
    static let operatorRef = ObjectRef(InstallerOwnership.istioOperators, namespace: "istio-system", name: "istio-controlplane")

    @Test func overlayLastsAndHandEditsDoNot() throws {
        let (store, topology) = try SimFixtures.load(try SimFixtures.isolated("metallb-crds").text)
        var options = SimulatorOptions()
        options.useRealPrometheus = false
        options.installerRevertDelay = nil
        let sim = Simulator(store: store, topology: topology, options: options, logger: SimFixtures.logger)
        try sim.start()
        defer { sim.stop() }
        var op = store.get(Self.operatorRef)!
        var gw = op["spec"]?["components"]?["ingressGateways"]?[0] ?? .null
        let ports = gw["k8s"]?["service"]?["ports"]?.arrayValue ?? []
        gw["k8s"]?["service"]?["ports"] = .array(ports + [["name": "http-prometheus", "port": 9090, "targetPort": 9090]])
        op["spec"]?["components"]?["ingressGateways"] = .array([gw])
        store.put(Self.operatorRef, op)
        sim.settle()
        sim.reconcileInstallers()
        let after = store.get(Self.gateway)?["spec"]?["ports"]?.arrayValue ?? []
        let added = after.first { $0["port"] == 9090 }
        #expect(added != nil, "the operator applies its overlay")
        #expect((added?["nodePort"]?.intValue ?? 0) >= 30000, "with a nodePort allocated")
        #expect(after.first { $0["port"] == 80 }?["nodePort"] == 30080, "existing nodePorts kept")
        var svc = store.get(Self.gateway)!
        svc["spec"]?["ports"] = .array(after.filter { $0["port"] != 9090 })
        store.put(Self.gateway, svc)
        sim.settle()
        sim.reconcileInstallers()
        #expect(store.get(Self.gateway)?["spec"]?["ports"]?.arrayValue?.contains { $0["port"] == 9090 } == true, "a hand edit against the overlay is reverted")
        sim.reconcileInstallers()
        #expect(store.get(Self.gateway)?["spec"]?["ports"]?.arrayValue?.first { $0["port"] == 9090 }?["nodePort"] == added?["nodePort"], "stable once converged")
    }
}
