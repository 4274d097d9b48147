import Foundation
import Testing
@testable import PortholeLab

/// The WebSocket handshake's digest, against RFC 6455's own example.
@Suite struct APIWebSocketTests {
    @Test func acceptKeyMatchesTheRFCExample() {
        #expect(WebSocketStream.accept(key: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }
}

/// SPDY header blocks as zlib (with the SPDY dictionary, sync-flushed) compresses them, two in one stream.
@Suite struct APIInflateTests {
    static let first: [UInt8] = [120, 249, 227, 198, 167, 194, 2, 37, 58, 72, 249, 91, 4, 78, 234, 150, 6, 150, 6, 64, 154, 179, 8, 18, 95,
                                 153, 160, 116, 204, 104, 0, 78, 137, 37, 69, 169, 137, 185, 208, 194, 134, 53, 21, 20, 21, 0, 0, 0, 0, 255, 255]
    static let second: [UInt8] = [34, 83, 51, 168, 164, 74, 4, 0, 0, 0, 255, 255]

    @Test func inflatesConsecutiveHeaderBlocks() throws {
        var inflater = Inflater(dictionary: SPDYDictionary.bytes, adler32: SPDYDictionary.adler32)
        #expect(SPDYFrame.headers(try inflater.inflate(Self.first)) == ["port": "9090", "requestid": "0", "streamtype": "error"])
        #expect(SPDYFrame.headers(try inflater.inflate(Self.second)) == ["port": "9090", "requestid": "0", "streamtype": "data"])
    }

    @Test func refusesAnotherDictionary() {
        var inflater = Inflater(dictionary: [1, 2, 3], adler32: 0x000d_0007)
        #expect(throws: (any Error).self) { try inflater.inflate(Self.first) }
    }
}
