import Foundation
import PortholeKube
import Testing
@testable import PortholeLab

/// The patch engines on their own, with the cases kubectl's client-side apply produces.
@Suite struct APIPatchTests {
    static let service: JSONValue = try! JSONValue.parse("""
    {"metadata":{"name":"s","labels":{"a":"1","b":"2"}},"spec":{"ports":[{"name":"http","port":80},{"name":"m","port":9090}],
     "selector":{"app":"x"}}}
    """)

    @Test func strategicMergeDeletesByKeyAndKeepsOrder() throws {
        let patch = try JSONValue.parse("""
        {"spec":{"$setElementOrder/ports":[{"port":81},{"port":9090}],
                 "ports":[{"name":"http","port":81},{"$patch":"delete","port":80}]},
         "metadata":{"labels":{"b":null,"c":"3"}}}
        """)
        let out = try StrategicMerge.apply(patch, to: Self.service)
        #expect(out["spec"]?["ports"]?.arrayValue?.compactMap { $0["port"]?.intValue } == [81, 9090])
        #expect(out["metadata"]?["labels"] == ["a": "1", "c": "3"])
        #expect(out["spec"]?["selector"] == ["app": "x"])
    }

    @Test func strategicMergeReplaceDirectives() throws {
        let list = try JSONValue.parse(#"{"spec":{"ports":[{"$patch":"replace"},{"name":"only","port":1}]}}"#)
        #expect(try StrategicMerge.apply(list, to: Self.service)["spec"]?["ports"]?.arrayValue?.count == 1)
        let map = try JSONValue.parse(#"{"spec":{"selector":{"$patch":"replace","new":"y"}}}"#)
        #expect(try StrategicMerge.apply(map, to: Self.service)["spec"]?["selector"] == ["new": "y"])
    }

    @Test func jsonPatchOperations() throws {
        let ops = try JSONValue.parse("""
        [{"op":"add","path":"/spec/ports/-","value":{"port":1}},
         {"op":"copy","from":"/metadata/labels/a","path":"/metadata/labels/z"},
         {"op":"move","from":"/metadata/labels/b","path":"/metadata/labels/y"},
         {"op":"remove","path":"/spec/ports/0"},
         {"op":"replace","path":"/spec/selector/app","value":"w"},
         {"op":"test","path":"/metadata/labels/z","value":"1"},
         {"op":"add","path":"/metadata/annotations~1x","value":"k"}]
        """)
        let out = try JSONPatch.apply(ops, to: Self.service)
        #expect(out["spec"]?["ports"]?.arrayValue?.compactMap { $0["port"]?.intValue } == [9090, 1])
        #expect(out["metadata"]?["labels"] == ["a": "1", "z": "1", "y": "2"])
        #expect(out["spec"]?["selector"]?["app"] == "w")
        #expect(out["metadata"]?["annotations/x"] == "k")
        #expect(throws: APIError.self) { try JSONPatch.apply(try JSONValue.parse(#"[{"op":"test","path":"/spec/selector/app","value":"no"}]"#), to: Self.service) }
        #expect(throws: APIError.self) { try JSONPatch.apply(try JSONValue.parse(#"[{"op":"remove","path":"/nope"}]"#), to: Self.service) }
    }

    @Test func mergePatchNullDeletes() throws {
        let out = MergePatch.apply(try JSONValue.parse(#"{"spec":{"selector":null,"type":"NodePort"}}"#), to: Self.service)
        #expect(out["spec"]?["selector"] == nil)
        #expect(out["spec"]?["type"] == "NodePort")
        #expect(out["spec"]?["ports"] == Self.service["spec"]?["ports"])
    }

    @Test func labelSelectorForms() throws {
        let labels = ["app": "x", "tier": "web"]
        #expect(try LabelSelector("app=x,tier!=db,tier").matches(labels))
        #expect(try LabelSelector("tier in (web, api),!gone").matches(labels))
        #expect(try !LabelSelector("app notin (x)").matches(labels))
        #expect(try !LabelSelector("missing").matches(labels))
    }
}
