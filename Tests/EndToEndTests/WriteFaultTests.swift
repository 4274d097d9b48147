import Foundation
import Testing
import PortholeLab
import PortholeNet
import PortholeKube
import PortholeTestSupport

/// Faults around writes and the data plane, on the whole simulated lab. One at a time: their labs share the
/// addresses `FaultLab.node` names (a second lab at once would move to other addresses, and a test dialling
/// `FaultLab.node` would reach the first lab).
@Suite(.serialized) struct WriteFaultTests {
    static let servicePath = "/api/v1/namespaces/istio-system/services/prometheus"

    @Test func aFailedWriteIsReReadAndReportedNeverRepeated() throws {
        let l = try FaultLab(["500,method=PATCH,dry-run=no"], simulate: true)
        defer { l.stop() }
        let r = try l.porthole(["--playbook", "nodeport", "--yes"])
        #expect(r.exitCode != 0, "\(r)")
        let writes = l.lab.requestLog.writes.filter { $0.path == Self.servicePath }
        #expect(writes.count == 1, "\(writes)")
        #expect(r.stdout.contains("fix make-nodeport: failed"), "\(r)")
        #expect(r.stdout.contains("the write failed and was not repeated"), "\(r)")
        #expect(r.stdout.contains("services istio-system/prometheus: unchanged"), "\(r)")
        #expect(!r.stdout.contains("Goal reached"), "\(r)")
    }

    @Test func aWriteThatTookEffectButLostItsAnswerIsReportedAsMade() throws {
        // The connection drops after the request arrives: the lab does not store it, so re-reading finds it
        // unchanged; what matters is that porthole says what it found and does not try again.
        let l = try FaultLab(["reset,method=PATCH,dry-run=no"], simulate: true)
        defer { l.stop() }
        let r = try l.porthole(["--playbook", "nodeport", "--yes"])
        #expect(r.exitCode != 0, "\(r)")
        #expect(l.lab.requestLog.writes.filter { $0.path == Self.servicePath }.count == 1)
        #expect(r.stdout.contains("re-read afterwards"), "\(r)")
    }

    @Test func aDroppedAddressFailsTheReachStepInsteadOfPassing() throws {
        let l = try FaultLab(["drop=\(FaultLab.node)"], simulate: true)
        defer { l.stop() }
        let r = try l.porthole(["--playbook", "nodeport", "--yes"])
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("Goal not reached: step reach failed"), "\(r)")
        #expect(!r.stdout.contains("PASS reach"), "\(r)")
    }

    @Test func dropAddressClosesTheListenersMidRun() throws {
        let l = try FaultLab([], simulate: true)
        defer { l.stop() }
        let svc = try #require(l.lab.store.get(ObjectRef(ResourceKey(group: "", resource: "services"), namespace: "istio-system", name: "istio-ingressgateway")))
        let port = try #require(svc["spec"]?["ports"]?.arrayValue?.compactMap { $0["nodePort"]?.intValue }.first)
        try TCPDialer.connect(host: FaultLab.node, port: UInt16(port), timeout: 2).close()
        l.lab.dropAddress(FaultLab.node)
        #expect(throws: NetError.refused) { try TCPDialer.connect(host: FaultLab.node, port: UInt16(port), timeout: 2) }
    }
}
