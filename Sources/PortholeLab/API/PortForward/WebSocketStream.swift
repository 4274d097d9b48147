import Foundation
import PortholeNet

/// RFC 6455 framing on the server side, as a byte stream: binary messages in (masked, from kubectl)
/// are concatenated; every write goes out as one unmasked binary message. Pings are answered, a close
/// frame ends the stream.
final class WebSocketStream: ByteStream, @unchecked Sendable {
    private let conn: TCPConnection
    private var buffer: [UInt8] = []
    private let writeLock = NSLock()

    init(_ conn: TCPConnection) { self.conn = conn }

    /// The `Sec-WebSocket-Accept` answer to a client's key.
    static func accept(key: String) -> String {
        Data(SHA1.digest(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
    }

    func readExactly(_ n: Int) throws -> [UInt8] {
        while buffer.count < n { try readFrame() }
        defer { buffer.removeFirst(n) }
        return Array(buffer[0..<n])
    }

    private func readFrame() throws {
        let head = try HTTPWire.readExactly(conn, 2, timeout: nil)
        let opcode = head[0] & 0x0f
        var length = Int(head[1] & 0x7f)
        if length == 126 {
            let b = try HTTPWire.readExactly(conn, 2, timeout: nil)
            length = Int(b[0]) << 8 | Int(b[1])
        } else if length == 127 {
            let b = try HTTPWire.readExactly(conn, 8, timeout: nil)
            length = b.reduce(0) { $0 << 8 | Int($1) }
        }
        let mask = head[1] & 0x80 != 0 ? try HTTPWire.readExactly(conn, 4, timeout: nil) : [0, 0, 0, 0]
        var payload = length > 0 ? try HTTPWire.readExactly(conn, length, timeout: nil) : []
        for i in payload.indices { payload[i] ^= mask[i & 3] }
        switch opcode {
        case 0x0, 0x1, 0x2: buffer += payload
        case 0x8:
            try? send(opcode: 0x8, payload: Array(payload.prefix(2)))
            throw NetError.closed
        case 0x9: try send(opcode: 0xA, payload: payload)
        default: break
        }
    }

    func write(_ bytes: [UInt8]) throws { try send(opcode: 0x2, payload: bytes) }

    private func send(opcode: UInt8, payload: [UInt8]) throws {
        var frame: [UInt8] = [0x80 | opcode]
        let n = payload.count
        if n < 126 {
            frame.append(UInt8(n))
        } else if n < 65536 {
            frame += [126, UInt8(n >> 8), UInt8(n & 0xff)]
        } else {
            frame.append(127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((n >> shift) & 0xff)) }
        }
        writeLock.lock(); defer { writeLock.unlock() }
        try conn.write(frame + payload)
    }

    func close() { conn.close() }
}

/// SHA-1 (FIPS 180-4), only for the WebSocket handshake's accept key.
enum SHA1 {
    static func digest(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        var m = message + [0x80]
        while m.count % 64 != 56 { m.append(0) }
        let bits = UInt64(message.count) * 8
        for shift in stride(from: 56, through: 0, by: -8) { m.append(UInt8((bits >> UInt64(shift)) & 0xff)) }
        for chunk in stride(from: 0, to: m.count, by: 64) {
            var w = [UInt32](repeating: 0, count: 80)
            for i in 0..<16 {
                w[i] = UInt32(m[chunk + 4 * i]) << 24 | UInt32(m[chunk + 4 * i + 1]) << 16 | UInt32(m[chunk + 4 * i + 2]) << 8 | UInt32(m[chunk + 4 * i + 3])
            }
            for i in 16..<80 { w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A827999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1BBCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62C1D6)
                }
                let t = rotl(a, 5) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, rotl(b, 30), a, t)
            }
            h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d; h[4] = h[4] &+ e
        }
        return h.flatMap { [UInt8($0 >> 24), UInt8(($0 >> 16) & 0xff), UInt8(($0 >> 8) & 0xff), UInt8($0 & 0xff)] }
    }

    private static func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }
}
