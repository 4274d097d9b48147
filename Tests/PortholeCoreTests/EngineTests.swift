import Foundation
import Testing
import PortholeKube
@testable import PortholeCore
import PortholeTestSupport

let enginePlaybook = """
id: e
title: E
inputs: {ns: {default: istio-system}}
steps:
  - id: listen
    title: Listener
    probes:
      - id: gw
        kubectl: {args: [get, gateway, pg, -n, "${ns}", -o, json], json: true}
    captures:
      - {var: port, probe: gw, path: json.spec.port, default: none}
    outcomes:
      - when: {probe: gw, path: exitCode, equals: 1}
        verdict: fail
        message: no gateway in ${ns}
        fix: create
        next: {playbook: port-forward, reason: the gateway cannot be created}
      - when: {probe: gw, path: json.spec.port, equals: 9090}
        verdict: pass
        message: listening on ${port}
      - verdict: warn
        message: odd port ${port}
    fixes:
      - id: create
        title: Create gateway in ${ns}
        target: {resource: gateways.networking.istio.io, namespace: "${ns}", name: pg}
        manifest: |
          kind: Gateway
          metadata: {name: pg, namespace: "${ns}"}
        verify: {probes: [gw], interval: 1s, timeout: 5s}
  - id: done
    title: Done
    outcomes: [{verdict: pass, message: all good}]
"""

let getGateway = ["kubectl", "get", "gateway", "pg", "-n", "istio-system", "-o", "json"]
let readTarget = ["kubectl", "get", "gateways.networking.istio.io", "pg", "-o", "json", "--ignore-not-found", "-n", "istio-system"]
let gatewayJSON = "{\"kind\": \"Gateway\", \"metadata\": {\"name\": \"pg\", \"namespace\": \"istio-system\", \"resourceVersion\": \"7\"}, \"spec\": {\"port\": 9090}}"

func makeRun(_ t: TestContext, consent: ConsentPolicy, dryRun: Bool = false) throws -> PlaybookRun {
    let pb = try PlaybookLoader().load(text: enginePlaybook, file: "e.yaml")
    return PlaybookRun(playbook: pb, inputs: [:], cluster: ClusterInfo(context: "lab"),
                       options: RunOptions(consent: consent, dryRun: dryRun, journalPath: "/state/journal.jsonl"),
                       context: t.context, findings: .unwired)
}

@Suite struct EngineTests {
    @Test func firstMatchingOutcomeWins() throws {
        let step = try PlaybookLoader().load(text: enginePlaybook, file: "e.yaml").steps[0]
        func judge(_ doc: JSONValue) -> Verdict {
            Judge.verdict(for: step, scope: MatchScope(probes: ["gw": doc], variables: ["ns": "x", "port": "8080"]), catalog: CodeFormatCatalog())
        }
        #expect(judge(["exitCode": 1]).level == .fail)
        #expect(judge(["exitCode": 1]).message == "no gateway in x")
        #expect(judge(["exitCode": 1]).fix == "create")
        #expect(judge(["exitCode": 0, "json": ["spec": ["port": 9090]]]).level == .pass)
        #expect(judge(["exitCode": 0, "json": ["spec": ["port": 8080]]]) == Verdict(level: .warn, message: "odd port 8080", outcome: 2))
        // A pass that rests on a probe that never ran is not a pass.
        #expect(judge(["skipped": "variable x is not set", "json": ["spec": ["port": 9090]]]).level == .fail)
    }

    @Test func capturesSetVariablesAndDefaults() {
        var vars: [String: String] = ["port": "9090"]
        let docs: [String: JSONValue] = ["svc": ["spec": ["ports": [["port": 9090, "nodePort": 31399], ["port": 80, "nodePort": 31380]]]]]
        let set = Judge.capture([Capture(variable: "nodePort", probe: "svc", path: "spec.ports[?(@.port==${port})].nodePort", defaultValue: nil),
                                 Capture(variable: "ip", probe: "svc", path: "status.loadBalancer.ingress[0].ip", defaultValue: "none"),
                                 Capture(variable: "gone", probe: "svc", path: "nothing", defaultValue: nil)],
                                probes: docs, into: &vars)
        #expect(set == ["nodePort": "31399", "ip": "none"])
        #expect(vars == ["port": "9090", "nodePort": "31399", "ip": "none"])
    }

    /// A capture with `when` is taken only when its matcher holds; otherwise its default applies.
    @Test func capturesWithWhenAreTakenOnlyWhenItHolds() throws {
        let docs: [String: JSONValue] = ["svc": ["object": ["spec": ["externalTrafficPolicy": "Local"]]],
                                         "eps": ["object": ["subsets": [["addresses": [["nodeName": "node-b"]]]]]]]
        let local = Matcher.test(.probe("svc"), path: "object.spec.externalTrafficPolicy", .equals(.string("Local")))
        func servingNode(_ docs: [String: JSONValue]) -> String? {
            var vars: [String: String] = ["first": "node-a"]
            _ = Judge.capture([Capture(variable: "node", probe: "eps", path: "object.subsets[0].addresses[0].nodeName",
                                       defaultValue: "${first}", when: local)], probes: docs, into: &vars)
            return vars["node"]
        }
        #expect(servingNode(docs) == "node-b")
        // The playbooks' path skips a subset that holds only not-ready addresses (a rollout changing a port).
        let rollout: JSONValue = ["object": ["subsets": [["notReadyAddresses": [["nodeName": "node-a"]]], ["addresses": [["nodeName": "node-c"]]]]]]
        #expect(try SelectionPath("object.subsets[?(@.addresses)].addresses[0].nodeName").select(in: rollout) == ["node-c"])
        var cluster = docs
        cluster["svc"] = ["object": ["spec": ["externalTrafficPolicy": "Cluster"]]]
        #expect(servingNode(cluster) == "node-a")
        // Decoded from YAML too, with the outcome matcher's syntax.
        let p = try PlaybookLoader(knownPlaybooks: []).load(text: """
            id: p
            title: t
            summary: s
            steps:
              - id: s
                title: t
                why: w
                probes:
                  - {id: svc, object: {resource: services, namespace: a, name: b}}
                captures:
                  - {var: policy, probe: svc, path: object.spec.type, when: {probe: svc, path: found, equals: true}}
                outcomes:
                  - verdict: pass
                    message: ok
            """, file: "p.yaml")
        #expect(p.steps[0].captures[0].when == .test(.probe("svc"), path: "found", .equals(.bool(true))))
    }

    @Test func withoutConsentTheRunStopsAtTheFixAndWritesNothing() async throws {
        let t = TestContext()
        t.commands.on(getGateway, exitCode: 1, stderr: "Error from server (NotFound): gateways \"pg\" not found")
        var run = try makeRun(t, consent: .never)
        let events = try await run.runToEnd()
        #expect(run.session.outcome?.goalReached == false)
        #expect(run.session.outcome?.summary == "stopped at fix create: nothing was written (run with --yes to apply it)")
        #expect(run.session.outcome?.suggestion?.playbook == "port-forward")
        #expect(run.session.steps[0].fixes[0].decision == .offered)
        #expect(run.session.steps[0].fixes[0].manifest == "kind: Gateway\nmetadata: {name: pg, namespace: \"istio-system\"}\n")
        #expect(t.commands.commands.map(\.argv) == [getGateway])
        #expect(events.contains { if case .fixProposed = $0 { return true } else { return false } })
    }

    @Test func dryRunShowsTheServerDryRun() async throws {
        let t = TestContext()
        t.commands.on(getGateway, exitCode: 1, stderr: "NotFound")
        t.commands.on(["kubectl", "apply", "-f", "-", "--dry-run=server"], stdout: "gateway.networking.istio.io/pg created (server dry run)\n")
        var run = try makeRun(t, consent: .always, dryRun: true)
        _ = try await run.runToEnd()
        #expect(run.session.steps[0].fixes[0].decision == .dryRun)
        #expect(run.session.steps[0].fixes[0].output == "gateway.networking.istio.io/pg created (server dry run)")
        #expect(t.files.text("/state/journal.jsonl") == nil)
    }

    @Test func consentedFixIsJournaledBeforeItRunsThenVerified() async throws {
        let t = TestContext()
        t.commands.on(getGateway, exitCode: 1, stderr: "NotFound", times: 3)
        t.commands.on(getGateway, stdout: gatewayJSON)
        t.commands.on(readTarget, stdout: "", times: 1)
        t.commands.on(readTarget, stdout: gatewayJSON)
        t.commands.on(["kubectl", "apply", "-f", "-"], stdout: "gateway.networking.istio.io/pg created\n")
        let files = t.files
        let journaledBeforeWrite = Locked(false)
        t.commands.observer = { c in
            if c.argv == ["kubectl", "apply", "-f", "-"] {
                let text = files.text("/state/journal.jsonl") ?? ""
                journaledBeforeWrite.set(text.contains("\"phase\":\"intent\"") && !text.contains("\"phase\":\"result\""))
            }
        }
        var run = try makeRun(t, consent: .always)
        _ = try await run.runToEnd()
        #expect(journaledBeforeWrite.value)
        let fix = run.session.steps[0].fixes[0]
        #expect(fix.decision == .applied)
        #expect(fix.verify?.attempts == 3)
        #expect(fix.verify?.passed == true)
        #expect(t.clock.sleeps == [1, 1])
        #expect(run.session.steps[0].verdict?.message == "listening on 9090")
        #expect(run.session.outcome?.goalReached == true)
        let stdin = t.commands.commands.first { $0.argv == ["kubectl", "apply", "-f", "-"] }?.stdin
        #expect(stdin == Data("kind: Gateway\nmetadata: {name: pg, namespace: \"istio-system\"}\n".utf8))
        let journal = UndoJournal(path: "/state/journal.jsonl", files: t.files)
        let records = try journal.records()
        #expect(records.map(\.phase) == [.intent, .result])
        #expect(records[0].targets[0].prior == nil)
        #expect(records[0].undo == [UndoAction(args: ["delete", "gateways.networking.istio.io", "pg", "--ignore-not-found", "-n", "istio-system"])])
        #expect(records[1].targets[0].post?["spec"]?["port"] == 9090)
        #expect(run.session.pendingUndos.map(\.commands) == [["kubectl delete gateways.networking.istio.io pg --ignore-not-found -n istio-system"]])
    }

    @Test func verifyGivesUpWhenTheBudgetIsSpent() async throws {
        let t = TestContext()
        t.commands.on(getGateway, exitCode: 1, stderr: "NotFound")
        t.commands.on(readTarget, stdout: "")
        t.commands.on(["kubectl", "apply", "-f", "-"], stdout: "created\n")
        var run = try makeRun(t, consent: .always)
        _ = try await run.runToEnd()
        let fix = run.session.steps[0].fixes[0]
        #expect(fix.verify?.passed == false)
        #expect(fix.verify?.attempts == 6)
        #expect(t.clock.sleeps == [1, 1, 1, 1, 1])
        #expect(fix.verify?.waited == 5)
        #expect(run.session.outcome?.goalReached == false)
    }

    @Test func declinedFixFollowsNext() async throws {
        let t = TestContext()
        t.commands.on(getGateway, exitCode: 1, stderr: "NotFound")
        let asked = Locked<[String]>([])
        var run = try makeRun(t, consent: .ask { p in asked.set(asked.value + [p.fix.id]); return false })
        _ = try await run.runToEnd()
        #expect(asked.value == ["create"])
        #expect(run.session.steps[0].fixes[0].decision == .declined)
        #expect(run.session.outcome?.suggestion == NextHop(playbook: "port-forward", reason: "the gateway cannot be created"))
        #expect(t.commands.commands.map(\.argv) == [getGateway])
    }

    @Test func runToNextDecisionStopsAtAFailedStepButNotAtAFixedOne() async throws {
        let t = TestContext()
        t.commands.on(getGateway, exitCode: 1, stderr: "NotFound", times: 2)
        t.commands.on(getGateway, stdout: gatewayJSON)
        t.commands.on(readTarget, stdout: "", times: 1)
        t.commands.on(readTarget, stdout: gatewayJSON)
        t.commands.on(["kubectl", "apply", "-f", "-"], stdout: "created\n")
        let answers = Locked([false, true])
        var run = try makeRun(t, consent: .ask { _ in
            let a = answers.value
            answers.set(Array(a.dropFirst()))
            return a[0]
        })
        let declined = try await run.runToNextDecision()
        #expect(declined.contains(.finished(FinalOutcome(goalReached: false, summary: "step listen failed: no gateway in istio-system",
                                                          suggestion: NextHop(playbook: "port-forward", reason: "the gateway cannot be created")))))
        let applied = try await run.step("listen")
        #expect(applied.contains(.judged(step: "listen", Verdict(level: .pass, message: "listening on 9090", outcome: 1))))
        #expect(run.currentStep?.id == "done")
        let rest = try await run.runToNextDecision()
        #expect(rest.last == .finished(FinalOutcome(goalReached: true, summary: "goal reached: all good", suggestion: nil)))
    }

    @Test func theOperatorCanApplyTheOfferedFixAfterwards() async throws {
        let t = TestContext()
        t.commands.on(getGateway, exitCode: 1, stderr: "NotFound", times: 1)
        t.commands.on(getGateway, stdout: gatewayJSON)
        t.commands.on(readTarget, stdout: "", times: 1)
        t.commands.on(readTarget, stdout: gatewayJSON)
        t.commands.on(["kubectl", "apply", "-f", "-"], stdout: "created\n")
        var run = try makeRun(t, consent: .never)
        _ = try await run.runToNextDecision()
        #expect(run.session.steps[0].fixes.map(\.decision) == [.offered])
        let events = try await run.apply()
        #expect(run.session.steps[0].fixes.map(\.decision) == [.offered, .applied])
        #expect(events.contains(.judged(step: "listen", Verdict(level: .pass, message: "listening on 9090", outcome: 1))))
        #expect(run.currentStep?.id == "done")
        #expect(!run.isFinished)
    }

    @Test func adviceWithVerifyWaitsForTheOperatorWhenConsented() async throws {
        let text = """
        id: a
        title: A
        steps:
          - id: tunnel
            title: Tunnel
            probes: [{id: up, kubectl: {args: [version]}}]
            outcomes:
              - {when: {probe: up, path: exitCode, equals: 1}, verdict: fail, fix: start}
              - {verdict: pass, message: up}
            fixes:
              - id: start
                title: Start the tunnel in another terminal
                verify: {probes: [up], interval: 2s, timeout: 10s}
        """
        let pb = try PlaybookLoader().load(text: text, file: "a.yaml")
        for (consent, reached) in [(ConsentPolicy.always, true), (.never, false)] {
            let t = TestContext()
            t.commands.on(["kubectl", "version"], exitCode: 1, times: 3)
            t.commands.on(["kubectl", "version"])
            var run = PlaybookRun(playbook: pb, inputs: [:], cluster: ClusterInfo(), options: RunOptions(consent: consent, journalPath: "/j"),
                                  context: t.context, findings: .unwired)
            _ = try await run.runToEnd()
            #expect(run.session.outcome?.goalReached == reached)
            #expect(run.session.steps[0].fixes[0].decision == .advice)
            #expect(run.session.steps[0].fixes[0].verify?.attempts == (reached ? 3 : nil))
            #expect(t.clock.sleeps == (reached ? [2, 2] : []))
        }
    }

    @Test func theREPLCanDriveStepByStep() async throws {
        let t = TestContext()
        t.commands.on(getGateway, stdout: "{\"spec\": {\"port\": 8080}}")
        var run = try makeRun(t, consent: .ask { _ in false })
        let first = try await run.step()
        #expect(first.contains(.judged(step: "listen", Verdict(level: .warn, message: "odd port 8080", outcome: 2))))
        #expect(run.currentStep?.id == "done")
        #expect(run.back()?.id == "listen")
        let skipped = run.skip()
        #expect(skipped == [.stepSkipped(step: "listen", reason: "skipped by the operator")])
        let records = try await run.probe("gw", step: "listen")
        #expect(records.map(\.status) == ["exit 0"])
        _ = try await run.runToNextDecision()
        #expect(run.isFinished)
        #expect(run.session.outcome?.goalReached == true)
    }
}

