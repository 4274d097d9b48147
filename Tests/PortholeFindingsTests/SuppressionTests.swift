import Foundation
import PortholeKube
import Testing
@testable import PortholeFindings

struct SuppressionTests {
    static let day = 86_400.0
    /// 2027-01-15 UTC.
    static let now = Date(timeIntervalSince1970: 1_799_971_200)

    static func regexVS(annotation: String?, namespace: String = "default") -> String {
        """
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata:
          name: prometheus
          namespace: \(namespace)
          \(annotation.map { "annotations: {porthole.dev/suppress: \"\($0)\"}" } ?? "")
        spec:
          hosts: ["*"]
          gateways: [mesh]
          http:
          - match: [{uri: {regex: "*"}}]
            route: [{destination: {host: prometheus}}]
        """
    }

    @Test func parsesCodesDateObjectAndReason() throws {
        let s = try Suppression.parse("PH0301,ph0302 until=2027-01-31 object=virtualservice/default/prometheus reason=known, waiting for fix")
        #expect(s.codes == ["PH0301", "PH0302"])
        #expect(s.until == "2027-01-31")
        #expect(s.object == "virtualservice/default/prometheus")
        #expect(s.reason == "known, waiting for fix")
        #expect(try Suppression.parseAll("PH0301 reason=a; PH0302 reason=b").count == 2)
    }

    @Test func rejectsBadInput() {
        #expect(throws: Suppression.ParseError.noReason(entry: "PH0301 until=2027-01-31")) { try Suppression.parse("PH0301 until=2027-01-31") }
        #expect(throws: Suppression.ParseError.badDate("2027-02-30")) { try Suppression.parse("PH0301 until=2027-02-30 reason=x") }
        #expect(throws: Suppression.ParseError.badCode("IST0101")) { try Suppression.parse("IST0101 reason=x") }
        #expect(throws: Suppression.ParseError.unknownKey("owner=me")) { try Suppression.parse("PH0301 owner=me reason=x") }
    }

    @Test func expiryIsInclusiveOfTheLastDay() throws {
        let s = try Suppression.parse("PH0301 until=2027-01-15 reason=x")
        #expect(s.isActive(at: Self.now))
        #expect(s.isActive(at: Self.now.addingTimeInterval(Self.day - 1)))
        #expect(!s.isActive(at: Self.now.addingTimeInterval(Self.day)))
    }

    @Test func annotationSuppressesAndKeepsTheFinding() throws {
        let snap = try ClusterSnapshot(manifests: Self.regexVS(annotation: "PH0301 until=2027-01-31 reason=route retired next sprint"))
        let findings = FindingChecks.run(snap, scope: CheckScope(now: Self.now))
        let f = try #require(findings.first { $0.code == "PH0301" })
        #expect(f.isSuppressed)
        #expect(f.suppression?.reason == "route retired next sprint")
        #expect(f.suppression?.source == "annotation on virtualservice default/prometheus")
    }

    @Test func expiredAnnotationDoesNotApplyAndIsReported() throws {
        let snap = try ClusterSnapshot(manifests: Self.regexVS(annotation: "PH0301 until=2026-12-31 reason=old"))
        let findings = FindingChecks.run(snap, scope: CheckScope(now: Self.now))
        #expect(findings.first { $0.code == "PH0301" }?.isSuppressed == false)
        #expect(findings.contains { $0.code == "PH0804" })
    }

    @Test func namespaceAnnotationApplies() throws {
        let ns = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: lab, annotations: {porthole.dev/suppress: "PH0301 reason=lab namespace"}}
            """
        let snap = try ClusterSnapshot(manifests: ns + "\n---\n" + Self.regexVS(annotation: nil, namespace: "lab"))
        let f = try #require(FindingChecks.run(snap, scope: CheckScope(now: Self.now)).first { $0.code == "PH0301" })
        #expect(f.suppression?.source == "annotation on namespace lab")
    }

    @Test func scopeSuppressionNarrowedToAnObject() throws {
        let snap = try ClusterSnapshot(manifests: Self.regexVS(annotation: nil))
        let other = try Suppression.parse("PH0301 object=virtualservice/default/other reason=x")
        let mine = try Suppression.parse("PH0301 object=virtualservice/default/prometheus until=2027-02-01 reason=accepted")
        let a = FindingChecks.run(snap, scope: CheckScope(suppressions: [other], now: Self.now))
        #expect(a.first { $0.code == "PH0301" }?.isSuppressed == false)
        let b = FindingChecks.run(snap, scope: CheckScope(suppressions: [mine], now: Self.now))
        #expect(b.first { $0.code == "PH0301" }?.suppression?.source == "scope")
    }
}
