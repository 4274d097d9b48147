import Foundation
import Testing
@testable import PortholeKube

@Suite struct YAMLValueTests {
    @Test func scalarsResolveLikeKubernetes() throws {
        let v = try JSONValue.yaml("""
        port: 9090
        name: prometheus
        quoted: "9090"
        enabled: true
        disabled: "false"
        nothing: ~
        ratio: 1.5
        regex: "*"
        """)
        #expect(v["port"] == .int(9090))
        #expect(v["quoted"] == .string("9090"))
        #expect(v["enabled"] == .bool(true))
        #expect(v["disabled"] == .string("false"))
        #expect(v["nothing"] == .null)
        #expect(v["ratio"] == .double(1.5))
        #expect(v["regex"] == .string("*"))
    }

    @Test func multiDocumentKeepsMarks() throws {
        let docs = try JSONValue.yamlDocuments("""
        kind: Gateway
        ---
        kind: VirtualService
        spec:
          hosts: ["*"]
        """)
        #expect(docs.count == 2)
        #expect(docs[1].value["kind"] == "VirtualService")
        #expect(SourceMark(docs[1].node.mark).line == 3)
    }

    @Test func syntaxErrorsCarryALine() {
        do {
            _ = try JSONValue.yaml("a: b\n  c: [d\n")
            Issue.record("accepted broken YAML")
        } catch let YAMLValueError.syntax(mark, _) {
            #expect(mark != nil)
            #expect((mark?.line ?? 0) >= 1)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite struct YAMLMultiDocumentErrorTests {
    /// Yams' own multi-document sequence drops errors after a good document; ours must not.
    @Test func anErrorInALaterDocumentIsReported() {
        #expect(throws: YAMLValueError.self) {
            _ = try JSONValue.yamlDocuments("kind: A\n---\nkind: B\n  bad: [x\n")
        }
    }
}
