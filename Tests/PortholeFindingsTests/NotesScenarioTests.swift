import Foundation
import PortholeKube
import Testing
@testable import PortholeFindings

/// The notes' own mistakes, judged over a cluster like theirs.
struct NotesScenarioTests {
    @Test func notesGatewayAndVirtualServiceYieldThreeDistinctCodes() throws {
        let cluster = try Fixtures.live(Fixtures.notesCluster)
        let whatIf = cluster.applying(try ClusterSnapshot(manifests: Fixtures.notesManifests))
        let findings = FindingChecks.run(whatIf)
        let codes = Set(findings.map(\.code))
        #expect(codes.isSuperset(of: ["PH0201", "PH0301", "PH0302"]), "\(findings.map(\.message))")
        let port = try #require(findings.first { $0.code == "PH0201" })
        #expect(port.message.contains("gateway default/prometheus-gateway field spec.servers[0].port.number = 90"))
        #expect(port.message.contains("service istio-system/istio-ingressgateway"))
        let regex = try #require(findings.first { $0.code == "PH0301" })
        #expect(regex.field == "spec.http[0].match[0].uri.regex")
        let host = try #require(findings.first { $0.code == "PH0302" })
        #expect(host.fix.contains("prometheus.istio-system.svc.cluster.local"))
    }

    @Test func notesManifestsAloneOfflineFlagThePortAndTheRegex() throws {
        let offline = FindingChecks.run(try ClusterSnapshot(manifests: Fixtures.notesManifests))
        #expect(offline.contains { $0.code == "PH0301" })
        let port = try #require(offline.first { $0.code == "PH0201" })
        #expect(port.message.contains("default install"))
    }

    @Test func servicePortNineThousandNinetyHasNoListener() throws {
        let findings = FindingChecks.run(try Fixtures.live(Fixtures.notesCluster))
        let f = try #require(findings.first { $0.code == "PH0202" })
        #expect(f.message.contains("exposes port 9090"))
        #expect(f.object?.name == "istio-ingressgateway")
    }

    @Test func loadBalancerEditIsHandWrittenAndThePoolIsExhausted() throws {
        let edited = """
            apiVersion: v1
            kind: Service
            metadata: {name: prometheus, namespace: istio-system, labels: {app: prometheus}}
            spec:
              type: LoadBalancer
              selector: {app: prometheus}
              ports: [{name: http-prometheus, port: 9090, targetPort: 9090, nodePort: 31588}]
            status:
              loadBalancer:
                ingress:
                - ip: 203.195.219.185
            """
        let cluster = try Fixtures.live(Fixtures.notesCluster)
        let whatIf = FindingChecks.run(cluster.applying(try ClusterSnapshot(manifests: edited)))
        #expect(whatIf.contains { $0.code == "PH0101" && $0.message.contains("203.195.219.185") })
        // As the API server keeps it: status dropped, Service pending, the one pool address taken by the gateway.
        let pending = try Fixtures.live(Fixtures.notesCluster + "\n---\n" + edited.components(separatedBy: "status:")[0])
        let codes = Set(FindingChecks.run(pending).map(\.code))
        #expect(codes.contains("PH0404"))
        #expect(!codes.contains("PH0102"))
    }

    @Test func addressAddedToThePoolIsOutsideTheNodeSegmentAndNodePortIsUsedOnIt() throws {
        let assigned = Fixtures.notesCluster.replacingOccurrences(
            of: "      - 129.204.7.185-129.204.7.185", with: "      - 129.204.7.185-129.204.7.185\n      - 203.195.219.185-203.195.219.185") + """

            ---
            apiVersion: v1
            kind: Service
            metadata: {name: prometheus-lb, namespace: istio-system, labels: {app: prometheus}}
            spec:
              type: LoadBalancer
              selector: {app: prometheus}
              ports: [{name: http-prometheus, port: 9090, targetPort: 9090, nodePort: 31588}]
            status:
              loadBalancer: {ingress: [{ip: 203.195.219.185}]}
            """
        let probe = OutsideObservation(address: "203.195.219.185", port: 31588, path: "/graph", result: .timeout)
        let findings = FindingChecks.run(try Fixtures.live(assigned, observations: [probe]))
        let segment = try #require(findings.first { $0.code == "PH0406" && $0.object?.name == "prometheus-lb" })
        #expect(segment.message.contains("10.0.0.0/24"))
        #expect(segment.message.contains("cloud VM"))
        #expect(findings.contains { $0.code == "PH0103" && $0.fix.contains("203.195.219.185:9090") })
        // The gateway's address is the node's external (NATed) address: outside the segment, nodePorts only.
        let gw = try #require(findings.first { $0.code == "PH0406" && $0.object?.name == "istio-ingressgateway" })
        #expect(gw.message.contains("external address") && gw.message.contains("nodePorts answer there"))
        #expect(findings.contains { $0.code == "PH0701" && $0.object?.name == "prometheus-lb" })
    }

    @Test func injectionDisabledForTheExperimentIsReported() throws {
        let labelled = Fixtures.notesCluster.replacingOccurrences(of: "labels: {istio-injection: enabled}", with: "labels: {istio-injection: disabled}")
        let findings = FindingChecks.run(try Fixtures.live(labelled))
        #expect(findings.contains { $0.code == "PH0505" && $0.object?.name == "default" })
        #expect(findings.contains { $0.code == "PH0802" && $0.level == .info })
    }
}
