import Foundation
import PortholeCore
import PortholeFindings
import PortholeKube
import Testing
@testable import PortholeREPL

/// Layer one: session state, rendering and transcript as values, with no terminal and no cluster.
@Suite struct SessionStateTests {
    static let notesObjects = """
    apiVersion: v1
    kind: Service
    metadata: {name: istio-ingressgateway, namespace: istio-system, labels: {istio: ingressgateway}}
    spec:
      type: LoadBalancer
      selector: {istio: ingressgateway}
      ports: [{name: http2, port: 80, nodePort: 31380}, {name: https, port: 443, nodePort: 31390}]
    status: {loadBalancer: {ingress: [{ip: 127.204.7.185}]}}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: prometheus, namespace: istio-system, labels: {app: prometheus}}
    spec: {type: ClusterIP, selector: {app: prometheus}, ports: [{name: http-prometheus, port: 9090}]}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: istio-pilot-1, namespace: istio-system, labels: {istio: pilot}}
    spec: {containers: [{name: discovery, image: docker.io/istio/pilot:1.1.2}]}
    ---
    apiVersion: v1
    kind: Node
    metadata: {name: vm}
    status: {addresses: [{type: InternalIP, address: 127.10.0.5}, {type: ExternalIP, address: 127.204.7.185}]}
    """

    static func reading() throws -> ClusterReading {
        let snapshot = try ClusterSnapshot(manifests: notesObjects)
        return ClusterReading(info: ClusterInfo(context: "notes", server: "http://127.0.0.1:6443", serverVersion: "v1.32.4"),
                              snapshot: snapshot, commands: [])
    }

    @Test func overviewSaysWhatItSees() throws {
        let o = ClusterOverview(try Self.reading())
        #expect(o.istio == "Istio 1.1.2")
        #expect(o.gateway == "istio-system/istio-ingressgateway LoadBalancer 127.204.7.185 80:31380/TCP 443:31390/TCP")
        #expect(o.prometheus == "istio-system/prometheus ClusterIP no external address 9090/TCP")
        #expect(o.metallb == nil)
        #expect(o.lines.first == "Context notes, server http://127.0.0.1:6443 (Kubernetes v1.32.4)")
        #expect(o.lines.contains("Load balancer: no MetalLB"))
    }

    @Test func adoptingAReadingRanksAndProposesTheFirstViableApproach() throws {
        var s = GuidedSession()
        s.adopt(reading: try Self.reading(), playbookIDs: ["istio-gateway", "nodeport"])
        #expect(s.ranking.count == ApproachID.allCases.count)
        #expect(s.proposed == s.ranking.first(where: \.viable)?.id)
        #expect(s.ranking.allSatisfy { !$0.reason.isEmpty })
        #expect(s.prompt == "porthole> ")
        #expect(s.exitStatus == .goalNotReached)
    }

    @Test func setBeforeAnyPlaybookIsKeptForTheNextOne() {
        var s = GuidedSession()
        s.set("hostName", "prom.example.org")
        #expect(s.presetVariables == ["hostName": "prom.example.org"])
        s.record("set hostName=prom.example.org", at: Date(timeIntervalSince1970: 0))
        #expect(s.typed.map(\.text) == ["set hostName=prom.example.org"])
    }

    @Test func forcedExitWins() {
        var s = GuidedSession()
        s.forcedExit = .environment
        #expect(s.exitStatus == .environment)
    }

    @Test func wrappedTextFitsTheWidthAndKeepsLongWordsWhole() {
        let text = String(repeating: "word ", count: 60) + "https://example.com/a/very/long/url/that/cannot/be/broken/anywhere/at/all/really"
        let lines = TextWrap.wrap(text, width: 80, first: "  ", indent: "    ")
        #expect(lines.dropLast().allSatisfy { $0.count <= 80 })
        #expect(lines.last?.hasSuffix("really") == true)
        #expect(TextWrap.wrap("a\n", width: 80) == ["a"])
    }

    @Test func lineDiffShowsChangesWithContext() {
        let before = ["{", "  a: 1", "  b: 2", "  c: 3", "  d: 4", "  e: 5", "  f: 6", "}"]
        var after = before
        after[5] = "  e: 50"
        let d = LineDiff.diff(before, after, context: 1)
        #expect(d == ["  ...", "    d: 4", "-   e: 5", "+   e: 50", "    f: 6", "  ..."])
        #expect(LineDiff.diff(before, before).isEmpty)
    }

    @Test func plainRenderingHasNoEscapeCodesAndFits80Columns() {
        let r = EventRenderer(style: .plain, variables: ["host": "prometheus.example.com"])
        let verdict = Verdict(level: .fail, message: String(repeating: "The gateway has no server for the host. ", count: 5), finding: "PH0202")
        let events: [RunEvent] = [
            .stepStarted(step: "gateway-server", title: "Declare a Gateway server for ${host}"),
            .judged(step: "gateway-server", verdict),
            .moved(from: "gateway-server", to: "reach", reason: "the Gateway exists already"),
        ]
        let lines = events.flatMap(r.lines)
        #expect(lines.allSatisfy { !$0.contains("\u{1B}") && $0.count <= 80 })
        #expect(lines.first == "step gateway-server: Declare a Gateway server for prometheus.example.com")
        #expect(lines.contains("  -> step reach: the Gateway exists already"))
        #expect(lines.contains { $0.contains("[PH0202]") })
    }

    @Test func colourOnlyWhenAsked() {
        #expect(TerminalStyle(colour: true, interactive: true).pass("ok") == "\u{1B}[32mok\u{1B}[0m")
        #expect(TerminalStyle.detect(environment: ["NO_COLOR": "1"]).colour == false)
    }

    @Test func historyFollowsXDGStateHome() {
        #expect(SessionOptions.historyPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/porthole/history")
        #expect(SessionOptions.historyPath(environment: ["HOME": "/h"]) == "/h/.local/state/porthole/history")
    }

    @Test func transcriptHoldsTypedLinesAndRunsAndMasksSecrets() throws {
        let header = try JSONDecoder().decode(PlaybookHeader.self, from: Data(#"{"id":"nodeport","title":"NodePort","source":"x"}"#.utf8))
        let session = Session(startedAt: Date(timeIntervalSince1970: 0), playbook: header,
                              inputs: [:], cluster: ClusterInfo(), dryRun: false, consent: "ask")
        let t = SessionTranscript(overview: ClusterOverview(try Self.reading()), ranking: [RankedChoice(id: "nodeport", viable: true, reason: "why", findings: [])],
                                  typed: [TypedLine(time: Date(timeIntervalSince1970: 0), text: "use nodeport"),
                                          TypedLine(time: Date(timeIntervalSince1970: 1), text: "set token=Bearer abc.def.ghi")],
                                  runs: [session], catalog: CodeFormatCatalog())
        let md = t.markdown()
        #expect(md.contains("00:00:00  use nodeport"))
        #expect(md.contains("1. `nodeport`: why"))
        #expect(md.contains("## porthole: NodePort (`nodeport`)"))
        #expect(!md.contains("abc.def.ghi"))
    }
}
