import Foundation
import Testing
import PortholeNet
@testable import PortholeLab

/// The listener set: loopback only, diffed against the desired set, and every socket closed at the end.
@Suite(.serialized) struct DataPlaneListenerTests {
    static let host = "127.250.3.7"

    static func outcome(_ port: Int) -> String {
        do {
            let c = try TCPDialer.connect(host: host, port: UInt16(port), timeout: 0.4)
            defer { c.close() }
            return (try? c.read(timeout: 1)).map { String(decoding: $0, as: UTF8.self) } ?? "open"
        } catch let e as NetError {
            if case .timeout = e { return "timeout" }
            return e == .refused ? "refused" : "\(e)"
        } catch { return "\(error)" }
    }

    @Test func refusesAnythingOutsideLoopback() {
        let set = ListenerSet(logger: SimFixtures.logger) { _, _, c in c.close() }
        defer { set.closeAll() }
        let outside = ListenerSpec(host: "129.204.7.185", port: 31399, mode: .serve)
        #expect(set.sync([outside]) == [outside])
        #expect(set.active.isEmpty)
    }

    @Test func diffsServeAndBlackholeAndClosesEverything() {
        let set = ListenerSet(logger: SimFixtures.logger) { _, port, c in try? c.write("hello \(port)"); c.close() }
        let serve = ListenerSpec(host: Self.host, port: 31001, mode: .serve)
        let drop = ListenerSpec(host: Self.host, port: 31002, mode: .blackhole)
        set.sync([serve, drop])
        #expect(Self.outcome(31001) == "hello 31001")
        #expect(Self.outcome(31002) == "timeout")
        #expect(Self.outcome(31003) == "refused")
        set.sync([ListenerSpec(host: Self.host, port: 31002, mode: .serve)])
        #expect(Self.outcome(31001) == "refused", "gone from the desired set: closed")
        #expect(Self.outcome(31002) == "hello 31002", "a blackhole turned into a listener")
        set.closeAll()
        #expect(set.active.isEmpty)
        #expect(Self.outcome(31002) == "refused")
    }
}
