import Foundation
import Testing
import PortholeKube
@testable import PortholeCore
import PortholeTestSupport

@Suite struct TranscriptTests {
    func appliedSession() async throws -> Session {
        let t = TestContext()
        t.commands.on(getGateway, exitCode: 1, stderr: "NotFound Authorization: Bearer abcdefghijklmnopqrstuvwxyz", times: 1)
        t.commands.on(getGateway, stdout: gatewayJSON)
        t.commands.on(readTarget, stdout: "", times: 1)
        t.commands.on(readTarget, stdout: gatewayJSON)
        t.commands.on(["kubectl", "apply", "-f", "-"], stdout: "gateway.networking.istio.io/pg created\n")
        var run = try makeRun(t, consent: .always)
        _ = try await run.runToEnd()
        var s = run.session
        s.cluster = ClusterInfo(kubeconfig: "/tmp/k", context: "lab", server: "http://admin:pw@127.0.0.1:6443", serverVersion: "v1.32.4")
        return s
    }

    @Test func markdownHasHeaderStepsCommandsFixesUndoAndMasksSecrets() async throws {
        let md = Transcript.render(try await appliedSession(), as: .markdown)
        #expect(md.hasPrefix("# porthole: E (`e`)\n"))
        #expect(md.contains("| Context | lab |"))
        #expect(md.contains("| Server | http://<masked: credentials>@127.0.0.1:6443 (v1.32.4) |"))
        #expect(md.contains("**Inputs:** `ns=istio-system`"))
        #expect(md.contains("## 1. Listener (`listen`): PASS"))
        #expect(md.contains("```sh\n  kubectl get gateway pg -n istio-system -o json\n  ```"))
        #expect(md.contains("<details><summary>output</summary>"))
        #expect(md.contains("### Fix `create`: Create gateway in istio-system (applied)"))
        #expect(md.contains("kubectl apply -f - <<'EOF'\nkind: Gateway\nmetadata: {name: pg, namespace: \"istio-system\"}\nEOF"))
        #expect(md.contains("Verify: passed after 1 attempt"))
        #expect(md.contains("kubectl delete gateways.networking.istio.io pg --ignore-not-found -n istio-system"))
        #expect(md.contains("## Pending undos"))
        #expect(md.contains("✅ goal reached: all good"))
        #expect(!md.contains("abcdefghijklmnopqrstuvwxyz"))
        #expect(!md.contains("admin:pw"))
    }

    @Test func jsonIsTheSameSessionValueMasked() async throws {
        let s = try await appliedSession()
        let text = Transcript.render(s, as: .json)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let back = try decoder.decode(Session.self, from: Data(text.utf8))
        #expect(back.playbook.id == "e")
        #expect(back.steps.map(\.step) == s.steps.map(\.step))
        #expect(back.cluster.server == "http://<masked: credentials>@127.0.0.1:6443")
        #expect(back.outcome == s.outcome)
    }

    @Test func textSummaryListsPendingUndos() async throws {
        let text = Transcript.render(try await appliedSession(), as: .text)
        #expect(text.contains("PASS listen: listening on 9090"))
        #expect(text.contains("Goal reached: all good") && !text.contains("goal reached: all good"))
        #expect(text.contains("Pending undos (run `porthole undo`, newest first):"))
    }
}
