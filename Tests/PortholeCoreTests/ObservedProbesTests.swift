import Foundation
import Testing
import PortholeFindings
import PortholeKube
@testable import PortholeCore

/// What the playbooks' probes saw becomes the outside observations the checks judge.
@Suite struct ObservedProbesTests {
    static func http(_ target: String, _ doc: JSONValue) -> ProbeRecord {
        ProbeRecord(probe: "p", kind: "http", target: target, status: "", document: doc)
    }

    @Test func httpAndTCPRecordsBecomeObservations() {
        let records = [
            Self.http("GET http://198.51.100.20:31390/-/ready", ["error": "timeout", "elapsedMs": 2000]),
            Self.http("GET http://198.51.100.20:31390/graph", ["error": "timeout", "elapsedMs": 2000]),
            Self.http("GET http://192.168.1.240:80/graph (Host: prometheus.example.com)",
                      ["status": 404, "headers": ["server": "istio-envoy"], "body": ""]),
            ProbeRecord(probe: "t", kind: "tcp", target: "tcp 10.0.0.5:31399", status: "refused",
                        document: ["connected": false, "error": "refused"]),
            ProbeRecord(probe: "k", kind: "object", target: "services", status: "found", document: ["found": true]),
            ProbeRecord(probe: "s", kind: "http", target: "http", status: "skipped", document: ["skipped": "x"], skipped: "x"),
        ]
        let o = ObservedProbes.observations(records)
        #expect(o.count == 3, "one timeout per address and port, whatever the path: \(o)")
        #expect(o[0] == OutsideObservation(address: "198.51.100.20", port: 31390, path: "/-/ready", result: .timeout))
        #expect(o[1] == OutsideObservation(address: "192.168.1.240", port: 80, path: "/graph", result: .http(status: 404, headers: ["server": "istio-envoy"])))
        #expect(o[2] == OutsideObservation(address: "10.0.0.5", port: 31399, result: .refused))
    }

    /// The observations feed the same checks as `porthole check`: a timed-out nodePort is PH0106.
    @Test func aTimedOutNodePortIsJudged() throws {
        var s = try ClusterSnapshot(manifests: """
            apiVersion: v1
            kind: Node
            metadata: {name: vm-1}
            status: {addresses: [{type: ExternalIP, address: 198.51.100.20}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: prometheus, namespace: istio-system}
            spec: {type: NodePort, selector: {app: prometheus}, ports: [{port: 9090, nodePort: 31390}]}
            """)
        s.observations = ObservedProbes.observations([Self.http("GET http://198.51.100.20:31390/-/ready", ["error": "timeout"])])
        #expect(FindingChecks.run(s).map(\.code).contains("PH0106"))
    }
}
