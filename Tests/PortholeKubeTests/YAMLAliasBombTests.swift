import Foundation
import Testing
@testable import PortholeKube

/// A few anchors that refer to each other expand to billions of values: conversion stops at `yamlValueBudget`
/// with an error naming where, instead of spinning and filling memory.
@Suite struct YAMLAliasBombTests {
    /// `levels` anchors, each a list of ten aliases of the one before: 10^levels values.
    static func bomb(levels: Int, prefix: String = "") -> String {
        var lines = [prefix + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1...levels { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func anAliasBombIsRefusedQuickly() {
        let start = Date()
        #expect(throws: YAMLValueError.self) { try JSONValue.yaml(Self.bomb(levels: 9)) }
        #expect(Date().timeIntervalSince(start) < 10)
        do { _ = try JSONValue.yaml(Self.bomb(levels: 9)) } catch {
            #expect("\(error)".contains("once its aliases are expanded"), "\(error)")
        }
    }

    @Test func ordinaryAliasesStillExpand() throws {
        let v = try JSONValue.yaml(Self.bomb(levels: 3))
        #expect(v["a3"]?.arrayValue?.count == 10)
    }
}
