import Foundation
import PortholeKube
import Testing
@testable import PortholeLab

/// The scenario loader: the lab document, implied namespaces, and errors that point into the file.
@Suite struct APIScenarioLoaderTests {
    static let lab = """
    apiVersion: lab.porthole.dev/v1
    kind: LabScenario
    name: t
    environment: bare-metal
    kubernetes: {version: v1.32.4}
    nodes:
      - {name: n1, internalIP: 127.20.0.2, segment: 127.20.0.0/24}
    operatorVantage: {segments: [127.20.0.0/24]}
    firewall: {defaultAction: allow, allow: []}
    components: {}
    prometheusServices: []
    """

    @Test func loadsObjectsAndAddsTheirNamespaces() throws {
        let text = Self.lab + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: team}\ndata: {a: b}\n"
        let s = try ScenarioLoader.parse(text, file: "t.yaml")
        #expect(s.topology.name == "t")
        let names = s.objects.map(\.ref.description)
        #expect(names.contains("namespaces/team") && names.contains("namespaces/default"))
        #expect(names.last == "configmaps/team/c")
    }

    @Test(arguments: [
        ("nodes:\n  - {name: n1, internalIP: 127.20.0.2, segment: 127.20.0.0/24, segmnt: x}",
         "t.yaml:7:64: unknown key `nodes[0].segmnt`"),
        ("nodes:\n  - {name: n1, internalIP: 10.0.0.5, segment: 127.20.0.0/24}",
         "t.yaml:7:28: `nodes[0].internalIP` is 10.0.0.5, outside 127.0.0.0/8"),
        ("nodes: {name: n1}", "t.yaml:6:8: `nodes` must be a list"),
        ("nodes: []\nfirewall: {allow: []}", "missing key `firewall.defaultAction`"),
        ("nodez: []", "missing key `nodes`"),
    ])
    func errorsNameFileLineAndKey(replacement: String, expected: String) throws {
        var text = Self.lab.replacingOccurrences(of: "nodes:\n  - {name: n1, internalIP: 127.20.0.2, segment: 127.20.0.0/24}", with: replacement)
        if replacement.contains("firewall") { text = text.replacingOccurrences(of: "firewall: {defaultAction: allow, allow: []}\n", with: "") }
        do {
            _ = try ScenarioLoader.parse(text, file: "t.yaml")
            Issue.record("loaded an invalid scenario")
        } catch let e as ScenarioError {
            #expect(e.description.contains(expected), "\(e)")
        }
    }

    /// What a scenario may leave out: nothing installed, no firewall, and the operator on the nodes' own
    /// segments on bare metal (on none of them in a cloud).
    @Test func sectionsWithAnObviousDefaultMayBeLeftOut() throws {
        let minimal = Self.lab.replacingOccurrences(of: "operatorVantage: {segments: [127.20.0.0/24]}\nfirewall: {defaultAction: allow, allow: []}\ncomponents: {}\n", with: "")
        #expect(!minimal.contains("components"))
        let bare = try ScenarioLoader.parse(minimal, file: "t.yaml").topology
        #expect(bare.components == LabTopology.Components() && bare.firewall.defaultAction == "allow" && bare.operatorVantage.segments == ["127.20.0.0/24"])
        let cloud = try ScenarioLoader.parse(minimal.replacingOccurrences(of: "environment: bare-metal", with: "environment: cloud"), file: "t.yaml").topology
        #expect(cloud.operatorVantage.segments.isEmpty)
    }

    @Test func anObjectFieldTheAPIWouldDropIsAnError() throws {
        let text = Self.lab + "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n    - {port: 80, nodeport: 30080}\n"
        #expect(throws: ScenarioError.unknownKey(file: "t.yaml", mark: SourceMark(line: 18, column: 18), keyPath: "Service s: spec.ports[0].nodeport")) {
            try ScenarioLoader.parse(text, file: "t.yaml")
        }
    }

    @Test func aScenarioNeedsOneLabDocumentAndServedKinds() throws {
        #expect(throws: ScenarioError.labDocumentCount(file: "t.yaml", found: 0)) {
            try ScenarioLoader.parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", file: "t.yaml")
        }
        let crd = Self.lab + "\n---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p, namespace: metallb-system}\n"
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(crd, file: "t.yaml") }
    }

    @Test func unknownScenarioNamesWhereItLooked() {
        do {
            _ = try ScenarioLoader.load("no-such-scenario")
            Issue.record("found a scenario that does not exist")
        } catch let e as ScenarioError {
            #expect(e.description.hasPrefix("no scenario named no-such-scenario (looked in: "))
        } catch {
            Issue.record("\(error)")
        }
    }

    /// Every shipped scenario loads and starts an API-only lab in well under a second.
    @Test func shippedScenariosStartFast() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.contains("notes.yaml"))
        for f in files {
            var o = LabOptions(scenario: dir.appendingPathComponent(f).path)
            o.simulate = false
            let t0 = Date()
            let lab = try LabInstance.start(o, logger: .init(label: "t"))
            // The start-up goal (< 1 s) is the benchmark's to measure; here only a pathological start fails.
            #expect(Date().timeIntervalSince(t0) < 10, "\(f)")
            #expect(!lab.store.list(ResourceKey(group: "", resource: "services")).isEmpty, "\(f)")
            // No field a real server would drop: the scenarios say what they mean.
            let catalog = ResourceCatalog(topology: lab.topology)
            for (ref, object) in lab.store.all() {
                guard let r = catalog.resource(for: ref.key) else { continue }
                #expect(FieldValidation.unknownFields(object, kind: r.kind).isEmpty, "\(f): \(ref)")
            }
            lab.stop()
        }
    }
}
