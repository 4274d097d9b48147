import Foundation
import Testing
import PortholeFindings
import PortholeKube
@testable import PortholeCore

/// The adapter runs PortholeFindings' checks over Core's snapshot: every live triggering example of
/// the catalog raises its codes through it, and a healthy example raises nothing of its own.
@Suite struct BuiltInFindingsTests {
    static func objectSnapshot(_ example: CheckExample) throws -> ObjectSnapshot {
        let s = try example.snapshot()
        var snap = ObjectSnapshot()
        // Served: the built-in groups, and every kind of a custom group when the example has objects of it
        // (CRDs come in bundles: a cluster with a Gateway serves GatewayClasses too, maybe none; a cluster
        // without MetalLB serves none of its kinds).
        let groups = Set(KindKey.standard.filter { !s.items($0).isEmpty }.map(\.group))
        for kind in KindKey.standard where ["", "apps", "networking.k8s.io"].contains(kind.group) || groups.contains(kind.group) {
            let written = kind.description.lowercased()
            snap.objects[written] = s.items(kind)
            snap.resources[written] = APIResource(plural: written, group: kind.group, version: "v1", kind: kind.kind, namespaced: true)
        }
        return snap
    }

    static let liveExamples: [(check: String, example: CheckExample)] = FindingChecks.all.flatMap { check in
        check.examples.filter { $0.live && $0.served == nil }.map { (check.id, $0) }
    }

    @Test func liveExamplesRaiseTheirCodesThroughTheAdapter() throws {
        #expect(!Self.liveExamples.isEmpty)
        for (check, example) in Self.liveExamples {
            let raised = Set(BuiltInChecks(now: { Date(timeIntervalSince1970: 0) }).check(snapshot: try Self.objectSnapshot(example), namespace: nil,
                                                                                             observations: example.observations).map(\.code))
            #expect(Set(example.raises).isSubset(of: raised), "\(check) / \(example.name): raised \(raised.sorted())")
        }
    }

    @Test func catalogAnswersForKnownCodesOnly() {
        let c = BuiltInCatalog()
        let any = FindingCatalog.all[0]
        #expect(c.knows(code: any.code))
        #expect(c.info(code: any.code)?.docLink == "docs/findings/\(any.code).md")
        #expect(!c.knows(code: "PH9999"))
    }

    @Test func checksReadEveryStandardKind() {
        #expect(BuiltInChecks().resources.contains("gateway.networking.istio.io"))
        #expect(APIResources.parse(table: apiResourcesTable)?.resolve("gateway.networking.istio.io")?.qualifiedName == "gateways.v1beta1.networking.istio.io")
    }
}
