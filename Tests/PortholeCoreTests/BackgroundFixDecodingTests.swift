import Foundation
import Testing
@testable import PortholeCore

/// The `background` fix key: decoded like the others, refused at its exact place when it is wrong.
@Suite struct BackgroundFixDecodingTests {
    let loader = PlaybookLoader(knownPlaybooks: ["other"])
    static let kubectlLine = "        kubectl: [patch, service, x, -p, '{\"a\":1}']"

    /// `validPlaybook` with its fix's `kubectl` line replaced by `lines`.
    func playbook(_ lines: String) -> String {
        validPlaybook.replacingOccurrences(of: Self.kubectlLine, with: lines)
    }

    func errors(_ lines: String) -> [String] {
        let text = playbook(lines)
        #expect(text != validPlaybook)
        return loader.validate(text: text, file: "pb.yaml").map(\.description)
    }

    @Test func decodesTheArgvAsAWrite() throws {
        let pb = try loader.load(text: playbook("""
                background: {kubectl: [-n, "${namespace}", port-forward, svc/prometheus, "9090:${port}", --address, 127.0.0.1]}
        """), file: "pb.yaml")
        let fix = pb.steps[1].fixes[0]
        #expect(fix.action == .background(["-n", "${namespace}", "port-forward", "svc/prometheus", "9090:${port}", "--address", "127.0.0.1"]))
        #expect(fix.writes, "starting a process needs the same consent as a write")
        #expect(fix.targets.isEmpty && fix.undo == nil)
    }

    @Test func refusesAnotherVerb() {
        #expect(errors("        background: {kubectl: [-n, x, delete, namespace, x]}") == [
            "pb.yaml:36:39: error: at `steps[1].fixes[0].background.kubectl[2]`: `background` runs `kubectl port-forward` only "
                + "(a local tunnel that changes nothing in the cluster, undone by stopping it), not `delete`",
        ])
        #expect(errors("        background: {kubectl: [--namespace, port-forward]}") == [
            "pb.yaml:36:31: error: at `steps[1].fixes[0].background.kubectl`: `background` needs a kubectl command: `port-forward` with its arguments",
        ])
    }

    @Test func refusesTwoActionsAndWrongShapes() {
        #expect(errors(Self.kubectlLine + "\n        background: {kubectl: [port-forward, svc/p, '1:1']}") == [
            "pb.yaml:34:9: error: at `steps[1].fixes[0]`: a fix has one of `manifest`, `kubectl` or `background`, found `kubectl` and `background`",
        ])
        #expect(errors("        background: {kubectl: [port-forward, svc/p, '1:1'], shell: sh}") == [
            "pb.yaml:36:61: error: at `steps[1].fixes[0].background.shell`: unknown key `shell` (expected one of: kubectl)",
        ])
        #expect(errors("        background: {argv: [port-forward]}") == [
            "pb.yaml:36:22: error: at `steps[1].fixes[0].background.argv`: unknown key `argv` (expected one of: kubectl)",
        ])
        #expect(errors("        background: [port-forward, svc/p]") == [
            "pb.yaml:36:21: error: at `steps[1].fixes[0].background`: expected a mapping, found a list",
        ])
        #expect(errors("        background: {kubectl: port-forward svc/p 1:1}") == [
            "pb.yaml:36:31: error: at `steps[1].fixes[0].background.kubectl`: expected a list, found a scalar (`port-forward svc/p 1:1`)",
        ])
    }

    @Test func refusesWhatAProcessCannotHonour() {
        let fix = "        background: {kubectl: [port-forward, svc/p, '1:1']}"
        #expect(errors(fix + "\n        writes: false") == [
            "pb.yaml:37:17: error: at `steps[1].fixes[0].writes`: a `background` fix starts a process: it always writes (and needs consent)",
        ])
        #expect(errors(fix + "\n        undo: {kubectl: [delete, pod, x]}") == [
            "pb.yaml:37:9: error: at `steps[1].fixes[0].undo`: a `background` fix is undone by stopping its process; `undo` does not apply",
        ])
        #expect(errors(fix + "\n        target: {resource: pods, name: x}") == [
            "pb.yaml:37:9: error: at `steps[1].fixes[0].target`: a `background` fix is undone by stopping its process; `target` does not apply",
        ])
    }

    @Test func itsArgumentsUseDeclaredVariablesOnly() {
        #expect(errors("        background: {kubectl: [port-forward, svc/p, '${localPort}:9090']}") == [
            "pb.yaml:36:53: error: at `steps[1].fixes[0].background.kubectl[2]`: variable `${localPort}` is neither an input nor a capture of this or an earlier step",
        ])
    }
}
