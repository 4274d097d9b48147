import Foundation
import PortholeKube
import Testing
@testable import PortholeFindings

/// Runs every check's own examples: raised exactly on triggering ones, silent on non-triggering ones.
struct CheckExamplesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let check: String
        let index: Int
        var testDescription: String { "\(check) #\(index)" }
    }

    static var cases: [Case] {
        FindingChecks.all.flatMap { check in check.examples.indices.map { Case(check: check.id, index: $0) } }
    }

    static func check(_ id: String) -> (any FindingCheck.Type)? { FindingChecks.all.first { $0.id == id } }

    @Test(arguments: cases)
    func exampleRaisesExactlyItsCodes(_ c: Case) throws {
        let check = try #require(Self.check(c.check))
        let example = check.examples[c.index]
        let snapshot = try example.snapshot()
        let own = Set(check.definitions.map(\.code))
        let findings = check.run(snapshot, CheckScope()).filter { own.contains($0.code) }
        #expect(Set(findings.map(\.code)) == Set(example.raises), "\(check.id): \(example.name): \(findings.map(\.message))")
        for f in findings {
            #expect(!f.message.contains("{") || f.message.contains("{\""), "unfilled placeholder in \(f.code): \(f.message)")
            #expect(!FindingDefinition.placeholders(in: FindingCatalog.lookup(f.code)!.template).contains { f.arguments[$0] == nil },
                    "\(f.code) misses an argument: \(f.message)")
            #expect(f.object != nil || f.code == "PH0105", "\(f.code) names no object")
        }
    }

    @Test func everyCodeHasATriggeringExampleAndEveryCheckASilentOne() {
        for check in FindingChecks.all {
            let raised = Set(check.examples.flatMap(\.raises))
            for def in check.definitions {
                #expect(raised.contains(def.code), "\(def.code) has no triggering example in \(check.id)")
            }
            #expect(check.examples.contains { $0.raises.isEmpty }, "\(check.id) has no non-triggering example")
        }
    }

    @Test func examplesRaiseOnlyCodesTheirCheckDefines() {
        for check in FindingChecks.all {
            let own = Set(check.definitions.map(\.code))
            for e in check.examples { #expect(Set(e.raises).isSubset(of: own), "\(check.id): \(e.name)") }
        }
    }
}
