import Foundation

/// Reads protobuf wire format: (field number, value) pairs of varints and length-delimited bytes.
struct ProtoReader {
    enum Value { case varint(UInt64), bytes([UInt8]), fixed64(UInt64), fixed32(UInt32) }

    private let data: [UInt8]
    private var i = 0

    init(_ data: [UInt8]) { self.data = data }

    /// Every field in order; throws on truncated or unsupported wire types.
    static func fields(_ data: [UInt8]) throws -> [(Int, Value)] {
        var r = ProtoReader(data)
        var out: [(Int, Value)] = []
        while let f = try r.next() { out.append(f) }
        return out
    }

    mutating func next() throws -> (Int, Value)? {
        guard i < data.count else { return nil }
        let tag = try varint()
        let field = Int(tag >> 3)
        switch tag & 7 {
        case 0: return (field, .varint(try varint()))
        case 1: return (field, .fixed64(UInt64(littleEndianBytes: try take(8))))
        case 2:
            let n = Int(try varint())
            return (field, .bytes(try take(n)))
        case 5: return (field, .fixed32(UInt32(UInt64(littleEndianBytes: try take(4)))))
        default: throw APIError.badRequest("protobuf: unsupported wire type \(tag & 7) for field \(field)")
        }
    }

    private mutating func varint() throws -> UInt64 {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard i < data.count, shift < 64 else { throw APIError.badRequest("protobuf: truncated varint") }
            let b = data[i]; i += 1
            v |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return v }
            shift += 7
        }
    }

    private mutating func take(_ n: Int) throws -> [UInt8] {
        guard n >= 0, i + n <= data.count else { throw APIError.badRequest("protobuf: truncated field") }
        defer { i += n }
        return Array(data[i..<i + n])
    }
}

private extension UInt64 {
    init(littleEndianBytes b: [UInt8]) {
        var v: UInt64 = 0
        for (k, byte) in b.enumerated() { v |= UInt64(byte) << (8 * UInt64(k)) }
        self = v
    }
}
