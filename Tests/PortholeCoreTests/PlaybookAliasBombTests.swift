import Foundation
import Testing
@testable import PortholeCore

/// A playbook whose matchers nest aliases of each other (`any: [&m0 {...}, *m0, ...]`, eight levels) expands to
/// hundreds of millions of matchers: the loader refuses it at once, naming FILE:LINE, instead of never returning.
@Suite struct PlaybookAliasBombTests {
    static func bomb(levels: Int) -> String {
        var expr = #"&m0 {var: port, equals: "1"}"#
        for i in 1...levels {
            expr = "&m\(i) {any: [" + expr + ", " + Array(repeating: "*m\(i - 1)", count: 9).joined(separator: ", ") + "]}"
        }
        return """
        id: t
        title: T
        inputs:
          port: {default: "9090"}
        steps:
          - id: s1
            title: S1
            onlyIf: \(expr)
            outcomes:
              - verdict: pass

        """
    }

    @Test func anAliasBombIsRefusedAtOnce() {
        let start = Date()
        let errors = PlaybookLoader(knownPlaybooks: []).validate(text: Self.bomb(levels: 8), file: "pb.yaml").map(\.description)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(errors.count == 1 && errors[0].hasPrefix("pb.yaml:8:") && errors[0].contains("once its aliases are expanded"), "\(errors)")
    }

    @Test func aFewAliasesStillLoad() throws {
        let errors = PlaybookLoader(knownPlaybooks: []).validate(text: Self.bomb(levels: 2), file: "pb.yaml")
        #expect(errors.isEmpty, "\(errors)")
    }
}
