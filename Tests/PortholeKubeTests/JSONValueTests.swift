import Foundation
import Testing
@testable import PortholeKube

@Suite struct JSONValueTests {
    @Test func integersStayExact() throws {
        let v = try JSONValue.parse(#"{"port": 9090, "ratio": 0.5, "big": 9007199254740993}"#)
        #expect(v["port"] == .int(9090))
        #expect(v["ratio"] == .double(0.5))
        #expect(v["big"] == .int(9007199254740993))
        #expect(v.compactJSON == #"{"big":9007199254740993,"port":9090,"ratio":0.5}"#)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "1 2", "\"\u{01}\"", "{\"a\":1}}"])
    func invalidJSONIsRejectedWithAnOffset(_ text: String) {
        do {
            _ = try JSONValue.parse(text)
            Issue.record("accepted invalid JSON: \(text)")
        } catch let JSONValueError.notJSON(detail) {
            #expect(detail.contains("at byte"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONValueError.self) { try JSONValue.parse(deep) }
    }

    @Test func stringsRoundTripWithEscapes() throws {
        let s = "line1\nline2 \"quoted\" \\ tab\t é 😀 \u{7}"
        let v = JSONValue.string(s)
        #expect(try JSONValue.parse(v.compactJSON) == v)
        #expect(try JSONValue.parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test func plainTextIsWhatJsonpathPrints() {
        #expect(JSONValue.int(31399).plainText == "31399")
        #expect(JSONValue.double(2.0).plainText == "2")
        #expect(JSONValue.string("LoadBalancer").plainText == "LoadBalancer")
        #expect(JSONValue.null.plainText == "")
    }

    @Test func keyPathsAndSubscripts() throws {
        var v = try JSONValue.parse(#"{"spec":{"ports":[{"port":80},{"port":9090}]}}"#)
        #expect(v.value(atKeys: ["spec", "ports", "1", "port"]) == .int(9090))
        v["kind"] = "Service"
        #expect(v["kind"]?.stringValue == "Service")
        #expect(v["spec"]?["ports"]?[5] == nil)
    }
}
