import Foundation
import Testing
@testable import PortholeCore
import PortholeFindings

/// The seven shipped playbooks load with the real loader and keep the promises every approach makes:
/// an outside proof at the end, a warning wherever Prometheus is opened, an undo target for every write.
@Suite struct PlaybooksShippedTests {
    static let library = PlaybookLibrary(environment: [:], files: LocalFileSystem(), executablePath: "/nonexistent/porthole")

    /// Ids as test arguments (a whole `Playbook` would print pages per test case).
    static let ids = PlaybookLibrary.shippedIDs.sorted()

    func playbook(_ id: String) throws -> Playbook { try Self.library.load(id) }

    @Test func everyShippedPlaybookLoadsWithoutErrors() throws {
        let paths = Self.library.paths
        #expect(paths.count == PlaybookLibrary.shippedIDs.count)
        for path in paths {
            let errors = Self.library.loader.validate(path: path, files: LocalFileSystem())
            #expect(errors.isEmpty, "\(path): \(errors.map(\.description))")
        }
    }

    /// The real catalog (not just the `PHxxxx` shape): a playbook may only cite codes PortholeFindings defines.
    struct RealCatalog: FindingCatalogLookup {
        func knows(code: String) -> Bool { FindingCatalog.lookup(code) != nil }
        func info(code: String) -> FindingInfo? { nil }
    }

    @Test func everyFindingCodeIsInTheCatalog() {
        let loader = PlaybookLoader(knownPlaybooks: PlaybookLibrary.shippedIDs, findings: RealCatalog())
        for path in Self.library.paths {
            let errors = loader.validate(path: path, files: LocalFileSystem())
            #expect(errors.isEmpty, "\(path): \(errors.map(\.description))")
        }
    }

    /// Every mistake of the notes is cited, by its finding code, by the playbook of its approach.
    @Test(arguments: [
        ("ingressgateway-port", ["PH0201", "PH0202", "PH0301", "PH0302", "PH0105", "PH0701", "PH0801"]),
        ("istio-gateway", ["PH0201", "PH0301", "PH0302", "PH0305", "PH0105", "PH0701"]),
        ("loadbalancer-metallb", ["PH0101", "PH0102", "PH0103", "PH0401", "PH0404", "PH0405", "PH0406", "PH0701"]),
        ("nginx-ingress", ["PH0501", "PH0502", "PH0503", "PH0504", "PH0505", "PH0701"]),
        ("gateway-api", ["PH0601", "PH0602", "PH0603", "PH0604", "PH0701"]),
        ("nodeport", ["PH0701", "PH0801"]),
    ])
    func citesTheNotesMistakes(_ id: String, _ codes: [String]) throws {
        let cited = Set(try playbook(id).steps.flatMap(\.outcomes).compactMap(\.finding))
        for code in codes { #expect(cited.contains(code), "\(id) never cites \(code)") }
    }

    @Test func theSevenApproachesAreShipped() throws {
        #expect(Set(try Self.library.all().map(\.id)) == PlaybookLibrary.shippedIDs)
    }

    @Test(arguments: ids) func endsWithPrometheusReadyFromOutside(_ id: String) throws {
        let playbook = try playbook(id)
        let last = try #require(playbook.steps.last?.probes.last, "\(playbook.id) has no final probe")
        guard case .http(let spec) = last.kind else {
            Issue.record("\(playbook.id): the final probe is \(last.kind.name), not http")
            return
        }
        #expect(spec.url.hasSuffix("/-/ready"), "\(playbook.id): final probe \(spec.url)")
    }

    @Test(arguments: ids) func everyWriteNamesItsTargets(_ id: String) throws {
        let playbook = try playbook(id)
        for step in playbook.steps {
            // A `background` fix changes no object: its undo stops the process it started.
            for fix in step.fixes where fix.writes && !fix.action.isBackground {
                #expect(!fix.targets.isEmpty, "\(playbook.id) \(step.id) \(fix.id) writes without a target")
            }
        }
    }

    /// Every approach but the workstation-only port-forward opens Prometheus to a network: it must say so
    /// before consent, and it must have a step that offers a restriction.
    @Test(arguments: ids) func opensOnlyWithAWarningAndARestriction(_ id: String) throws {
        let playbook = try playbook(id)
        let fixes = playbook.steps.flatMap(\.fixes)
        #expect(fixes.contains { ($0.warning ?? "").contains("no authentication") },
                "\(playbook.id): no fix warns that Prometheus has no authentication")
        #expect(playbook.steps.contains { $0.id == "restrict" }, "\(playbook.id): no `restrict` step")
    }

    /// porthole never offers to write status.loadBalancer (CVE-2020-8554): no fix touches `status`.
    @Test(arguments: ids) func noFixWritesStatus(_ id: String) throws {
        let playbook = try playbook(id)
        for fix in playbook.steps.flatMap(\.fixes) {
            switch fix.action {
            case .kubectl(let argv):
                #expect(!argv.contains { $0.contains("\"status\"") || $0 == "--subresource=status" || $0 == "status" },
                        "\(playbook.id) \(fix.id) writes status")
            case .manifest(let text):
                #expect(!text.contains("\nstatus:"), "\(playbook.id) \(fix.id) writes status")
            case .background, .none:
                break
            }
        }
    }
}
