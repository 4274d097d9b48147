import Foundation
import PortholeNet

/// SPDY/3.1 frames as kubectl's spdystream sends and reads them (draft 3.1 section 2.2).
enum SPDYFrame {
    case synStream(streamID: UInt32, flags: UInt8, headerBlock: [UInt8])
    case synReply(streamID: UInt32)
    case rstStream(streamID: UInt32, status: UInt32)
    case ping(id: UInt32)
    case goAway
    case data(streamID: UInt32, flags: UInt8, payload: [UInt8])
    /// SETTINGS, HEADERS, WINDOW_UPDATE and unknown control frames: read and ignored.
    case other(type: UInt16)

    static let flagFin: UInt8 = 0x01

    /// Reads one frame; nil at a clean end of stream.
    static func read(_ c: ByteStream) throws -> SPDYFrame? {
        let head: [UInt8]
        do { head = try c.readExactly(8) } catch NetError.closed { return nil }
        let flags = head[4]
        let length = Int(head[5]) << 16 | Int(head[6]) << 8 | Int(head[7])
        let payload = length > 0 ? try c.readExactly(length) : []
        if head[0] & 0x80 == 0 {
            return .data(streamID: u32(head, 0) & 0x7fff_ffff, flags: flags, payload: payload)
        }
        let type = UInt16(head[2]) << 8 | UInt16(head[3])
        switch type {
        case 1:
            guard payload.count >= 10 else { throw NetError.closed }
            return .synStream(streamID: u32(payload, 0) & 0x7fff_ffff, flags: flags, headerBlock: Array(payload[10...]))
        case 3:
            guard payload.count >= 8 else { throw NetError.closed }
            return .rstStream(streamID: u32(payload, 0) & 0x7fff_ffff, status: u32(payload, 4))
        case 6:
            guard payload.count >= 4 else { throw NetError.closed }
            return .ping(id: u32(payload, 0))
        case 7: return .goAway
        default: return .other(type: type)
        }
    }

    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }

    static func control(type: UInt16, flags: UInt8, payload: [UInt8]) -> [UInt8] {
        let n = payload.count
        return [0x80, 0x03, UInt8(type >> 8), UInt8(type & 0xff), flags, UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + payload
    }

    static func dataFrame(streamID: UInt32, fin: Bool, payload: [UInt8]) -> [UInt8] {
        let n = payload.count
        return be32(streamID & 0x7fff_ffff) + [fin ? flagFin : 0, UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + payload
    }

    /// Parses a decompressed header block: count, then (name length, name, value length, value) pairs.
    static func headers(_ block: [UInt8]) -> [String: String] {
        var out: [String: String] = [:]
        guard block.count >= 4 else { return out }
        var i = 4
        func string() -> String? {
            guard i + 4 <= block.count else { return nil }
            let n = Int(u32(block, i)); i += 4
            guard i + n <= block.count else { return nil }
            defer { i += n }
            return String(decoding: block[i..<i + n], as: UTF8.self)
        }
        for _ in 0..<u32(block, 0) {
            guard let k = string(), let v = string() else { break }
            out[k.lowercased()] = v
        }
        return out
    }
}

/// The compressing side of the header stream, without compression: a zlib header once, then each
/// header block as one stored (uncompressed) deflate block plus a sync flush. Go's zlib reader accepts that.
struct StoredDeflater {
    private var sentHeader = false

    mutating func compress(_ block: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        if !sentHeader { out += [0x78, 0x01]; sentHeader = true }
        let n = block.count
        out += [0x00, UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(~n & 0xff), UInt8(~n >> 8 & 0xff)]
        // End with an empty stored block (a zlib sync flush): Go's inflater hands data out when it meets
        // one; without it, it reads on past the frame and the next header block fails.
        return out + block + [0x00, 0x00, 0x00, 0xff, 0xff]
    }

    /// An empty header block (zero name/value pairs).
    mutating func emptyHeaders() -> [UInt8] { compress([0, 0, 0, 0]) }
}
