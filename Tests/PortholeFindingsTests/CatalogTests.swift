import Foundation
import Testing
@testable import PortholeFindings

struct CatalogTests {
    @Test func codesAreWellFormedUniqueAndInTheirArea() {
        let codes = FindingCatalog.all.map(\.code)
        #expect(Set(codes).count == codes.count, "a code is defined twice")
        #expect(codes.count >= 30)
        for c in codes {
            #expect(FindingCatalog.isWellFormed(c), "\(c)")
            let area = Int(c.dropFirst(2).prefix(2))!
            #expect((1...8).contains(area), "\(c) is in no area")
        }
        let titles = FindingCatalog.all.map(\.title)
        #expect(Set(titles).count == titles.count, "a title is used twice")
    }

    @Test func noActiveCodeReusesARetiredOne() {
        #expect(Set(FindingCatalog.all.map(\.code)).isDisjoint(with: FindingCatalog.retired))
    }

    @Test func lookupAndExplain() {
        #expect(FindingCatalog.lookup("PH0201")?.title == "GatewayPortNotOnService")
        #expect(FindingCatalog.lookup("ph0301")?.code == "PH0301")
        #expect(FindingCatalog.lookup("PH9999") == nil)
        #expect(FindingCatalog.explain("PH0302") == "docs/findings/PH0302.md")
        #expect(FindingCatalog.explain("PH9999") == nil)
    }

    @Test func findingsAreCodable() throws {
        let f = FindingDefinition.gatewayPortNotOnService.make(
            ObjectReference(kind: "Gateway", group: "networking.istio.io", namespace: "istio-system", name: "gw"),
            field: "spec.servers[0].port.number", ["port": .port(90), "gateway": .object(ObjectReference(kind: "Gateway", namespace: "istio-system", name: "gw"))])
        let data = try JSONEncoder().encode(f)
        #expect(try JSONDecoder().decode(Finding.self, from: data) == f)
        #expect(f.message.hasPrefix("gateway istio-system/gw field "))
        #expect(f.doc == "docs/findings/PH0201.md")
    }

    @Test func templatesOnlyUseKnownShapes() {
        for d in FindingCatalog.all {
            #expect(!d.template.isEmpty && !d.cause.isEmpty && !d.fixTemplate.isEmpty, "\(d.code)")
            #expect(!d.template.hasSuffix("."), "\(d.code): messages are one line without a final period")
        }
    }
}

struct TemplateRenderingTests {
    @Test func bracesAroundPlaceholdersStayLiteral() {
        let t = "add port: {number: <one of {ports}>} and {subset}; {not a name} {9x} {"
        let out = FindingDefinition.render(t, ["ports": .list(["9090", "9091"]), "subset": .value("v1")])
        #expect(out == "add port: {number: <one of 9090, 9091>} and v1; {not a name} {9x} {")
        #expect(FindingDefinition.placeholders(in: t) == ["ports", "subset"])
    }

    @Test func everyRenderedFixHasNoUnfilledPlaceholder() throws {
        for check in FindingChecks.all {
            for e in check.examples where !e.raises.isEmpty {
                for f in check.run(try e.snapshot(), CheckScope()) {
                    let def = try #require(FindingCatalog.lookup(f.code))
                    for name in FindingDefinition.placeholders(in: def.fixTemplate) + FindingDefinition.placeholders(in: def.template) {
                        #expect(f.arguments[name] != nil, "\(f.code) \(check.id) lacks {\(name)}")
                    }
                }
            }
        }
    }
}
