import Foundation
import PortholeNet

/// The byte pipe a SPDY session runs over: the upgraded TCP connection itself, or a WebSocket carrying
/// SPDY in binary messages (kubectl 1.32's first choice).
protocol ByteStream: AnyObject, Sendable {
    /// Exactly `n` bytes; throws `NetError.closed` at the end of the stream.
    func readExactly(_ n: Int) throws -> [UInt8]
    func write(_ bytes: [UInt8]) throws
    func close()
}

/// SPDY straight on the upgraded connection.
final class TCPByteStream: ByteStream, @unchecked Sendable {
    let conn: TCPConnection
    init(_ conn: TCPConnection) { self.conn = conn }
    func readExactly(_ n: Int) throws -> [UInt8] { try HTTPWire.readExactly(conn, n, timeout: nil) }
    func write(_ bytes: [UInt8]) throws { try conn.write(bytes) }
    func close() { conn.close() }
}
