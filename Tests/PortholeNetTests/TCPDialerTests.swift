import Foundation
import Testing
@testable import PortholeNet

/// The failure kinds porthole's diagnoses depend on, produced by real sockets on loopback.
@Suite struct TCPDialerTests {
    @Test func connectsToAListener() throws {
        let l = try TCPListener(host: "127.0.0.1", port: 0)
        defer { l.close() }
        let c = try TCPDialer.connect(host: "127.0.0.1", port: l.port, timeout: 1)
        c.close()
    }

    @Test func refusedWhenNothingListens() throws {
        let l = try TCPListener(host: "127.0.0.1", port: 0)
        let port = l.port
        l.close()
        #expect(throws: NetError.refused) { try TCPDialer.connect(host: "127.0.0.1", port: port, timeout: 1) }
    }

    @Test func timesOutOnABlackhole() throws {
        let (l, plug) = try TCPListener.blackhole(host: "127.0.0.1", port: 0)
        defer { plug.close(); l.close() }
        let start = Date()
        #expect(throws: NetError.timeout(seconds: 0.3)) { try TCPDialer.connect(host: "127.0.0.1", port: l.port, timeout: 0.3) }
        #expect(Date().timeIntervalSince(start) >= 0.25)
    }

    @Test func badAddressIsNamed() {
        #expect(throws: NetError.dns(host: "no-such-host.invalid")) {
            try TCPDialer.connect(host: "no-such-host.invalid", port: 80, timeout: 1)
        }
    }

    @Test func loopbackAndCIDRHelpers() {
        #expect(IPv4.isLoopback("127.204.7.185"))
        #expect(!IPv4.isLoopback("129.204.7.185"))
        #expect(!IPv4.isLoopback("not an ip"))
        #expect(IPv4.contains(cidr: "127.10.0.0/24", address: "127.10.0.77"))
        #expect(!IPv4.contains(cidr: "127.10.0.0/24", address: "127.10.1.77"))
        #expect(IPv4.contains(cidr: "127.10.0.5", address: "127.10.0.5"))
    }
}
