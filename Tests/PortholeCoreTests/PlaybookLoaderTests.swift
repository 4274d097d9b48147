import Foundation
import Testing
@testable import PortholeCore

/// A small valid playbook the error cases below break one line at a time.
let validPlaybook = """
id: sample
title: Sample
inputs:
  namespace: {default: istio-system, description: ns}
  port: {default: "9090"}
steps:
  - id: svc
    title: Service
    probes:
      - id: gw
        object: {resource: services, namespace: "${namespace}", name: istio-ingressgateway}
    captures:
      - var: nodePort
        probe: gw
        path: object.spec.ports[?(@.port==${port})].nodePort
    outcomes:
      - when: {probe: gw, path: found, equals: false}
        verdict: fail
        message: no gateway
        next: {step: ready, reason: try anyway}
      - verdict: pass
  - id: ready
    title: Ready
    probes:
      - id: r
        timeout: 250ms
        http: {url: "http://127.0.0.1:${nodePort}/-/ready"}
    outcomes:
      - when: {probe: r, path: error, equals: refused}
        verdict: fail
        fix: open
      - verdict: pass
    fixes:
      - id: open
        title: Open it
        kubectl: [patch, service, x, -p, '{"a":1}']
        verify: {probes: [r], timeout: 1m}
"""

@Suite struct PlaybookLoaderTests {
    let loader = PlaybookLoader(knownPlaybooks: ["other"])

    @Test func loadsAndResolvesDefaults() throws {
        let pb = try loader.load(text: validPlaybook, file: "sample.yaml")
        #expect(pb.id == "sample")
        #expect(pb.defaults == ["namespace": "istio-system", "port": "9090"])
        #expect(pb.steps.map(\.id) == ["svc", "ready"])
        #expect(pb.steps[1].probes[0].timeout == 0.25)
        #expect(pb.steps[0].probes[0].timeout == 5)
        #expect(pb.steps[1].fixes[0].writes)
        #expect(pb.steps[1].fixes[0].verify == Verify(probes: ["r"], interval: 2, timeout: 60))
        guard case .http(let h) = pb.steps[1].probes[0].kind else { Issue.record("not http"); return }
        #expect(h.connectTimeout == 2 && h.method == "GET")
    }

    /// Replaces the first occurrence of `old` and expects exactly `rendered` as the first error.
    func expectError(_ old: String, _ new: String, _ rendered: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = validPlaybook.replacingOccurrences(of: old, with: new, options: [], range: validPlaybook.range(of: old))
        #expect(text != validPlaybook, sourceLocation: sourceLocation)
        let errors = loader.validate(text: text, file: "pb.yaml").map(\.description)
        #expect(errors.contains(rendered), "got \(errors)", sourceLocation: sourceLocation)
    }

    @Test func yamlSyntaxError() {
        expectError("title: Sample", "title: [Sample", "pb.yaml:3:7: error: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence")
    }

    @Test func unknownKey() {
        expectError("    title: Ready", "    title: Ready\n    probs: []",
                    "pb.yaml:24:5: error: at `steps[1].probs`: unknown key `probs` (expected one of: id, title, why, onlyIf, probes, captures, outcomes, fixes)")
    }

    @Test func wrongType() {
        expectError("timeout: 250ms", "timeout: [1]", "pb.yaml:26:18: error: at `steps[1].probes[0].timeout`: expected a duration like 250ms, 3s or 1m, found a list")
        expectError("  - id: svc\n    title: Service", "  - id: svc\n    title: {a: 1}", "pb.yaml:8:12: error: at `steps[0].title`: expected a string, found a mapping")
    }

    @Test func duplicateStepID() {
        expectError("  - id: ready", "  - id: svc", "pb.yaml:22:9: error: at `steps[1].id`: duplicate step id `svc`")
    }

    @Test func nextNamingNothing() {
        expectError("next: {step: ready", "next: {step: nowhere", "pb.yaml:20:22: error: at `steps[0].outcomes[0].next.step`: `next` names no step `nowhere`")
        expectError("next: {step: ready", "next: {playbook: nowhere", "pb.yaml:20:26: error: at `steps[0].outcomes[0].next.playbook`: `next` names no playbook `nowhere`")
    }

    @Test func undefinedVariable() {
        expectError("/-/ready", "/${path}", "pb.yaml:27:21: error: at `steps[1].probes[0].http.url`: variable `${path}` is neither an input nor a capture of this or an earlier step")
    }

    @Test func semanticErrors() {
        expectError("fix: open", "fix: close", "pb.yaml:31:14: error: at `steps[1].outcomes[0].fix`: `fix` names no fix `close` of this step")
        expectError("{probe: r, path: error", "{probe: q, path: error", "pb.yaml:29:23: error: at `steps[1].outcomes[0].when.probe`: names no probe `q` of this step")
        expectError("equals: refused", "matches: \"*\"", "pb.yaml:29:48: error: at `steps[1].outcomes[0].when.matches`: invalid regular expression `*`: it does not compile (RE2 and ICU want `.*`, not `*`)")
        expectError("      - verdict: pass\n  - id: ready", "      - verdict: pass\n        when: {var: port, exists: true}\n  - id: ready", "pb.yaml:7:5: error: at `steps[0]`: step `svc` needs a last outcome without `when` (the fallback)")
        expectError("        verdict: fail\n        message: no gateway", "        verdict: fail\n        finding: XX1\n        message: no gateway", "pb.yaml:19:18: error: at `steps[0].outcomes[0].finding`: unknown finding code `XX1`")
        expectError("        timeout: 250ms", "        timeout: 250ms\n        tcp: {host: a, port: 1}", "pb.yaml:25:9: error: at `steps[1].probes[0]`: a probe has exactly one kind, found `tcp` and `http`")
        expectError("gw\n        object", "gw\n        objects", "pb.yaml:11:9: error: at `steps[0].probes[0].objects`: unknown key `objects` (expected one of: id, timeout, object, kubectl, http, tcp, findings)")
        expectError("title: Sample\n", "", "pb.yaml:1:1: error: missing key `title`")
    }

    @Test func reportsEveryProblem() {
        let text = validPlaybook.replacingOccurrences(of: "fix: open", with: "fix: close")
            .replacingOccurrences(of: "/-/ready", with: "/${nope}")
        #expect(loader.validate(text: text, file: "pb.yaml").count == 2)
    }
}
