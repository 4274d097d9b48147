import Foundation

/// A streaming zlib/DEFLATE decoder (RFC 1950/1951) with a preset dictionary, for SPDY header blocks.
///
/// SPDY compresses every header block of a connection with one zlib stream, flushed (sync flush) at the
/// end of each block, so each frame's bytes hold whole deflate blocks. `inflate` decodes one frame's
/// bytes, keeping the 32 KiB window (seeded with the dictionary) between calls. Written after the
/// structure of zlib's puff.c: table-free canonical Huffman decoding, small and slow, fine for headers.
struct Inflater {
    enum Failure: Error { case truncated, badHeader, dictionaryMismatch(UInt32), badBlock(String) }

    private var window: [UInt8]
    private let dictionaryAdler: UInt32
    private var sawHeader = false

    init(dictionary: [UInt8], adler32: UInt32) {
        window = dictionary
        dictionaryAdler = adler32
    }

    /// Decodes the deflate blocks in `input` (the first call also reads the zlib header).
    mutating func inflate(_ input: [UInt8]) throws -> [UInt8] {
        var bits = BitReader(input)
        if !sawHeader {
            let cmf = try bits.byte(), flg = try bits.byte()
            guard cmf & 0x0f == 8, (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0 else { throw Failure.badHeader }
            if flg & 0x20 != 0 {
                var id: UInt32 = 0
                for _ in 0..<4 { id = id << 8 | UInt32(try bits.byte()) }
                guard id == dictionaryAdler else { throw Failure.dictionaryMismatch(id) }
            }
            sawHeader = true
        }
        let start = window.count
        while !bits.atEnd {
            _ = try bits.bits(1)  // BFINAL: SPDY streams never end; ignore.
            switch try bits.bits(2) {
            case 0: try stored(&bits)
            case 1: try codes(&bits, Self.fixedLengths, Self.fixedDistances)
            case 2: try dynamic(&bits)
            default: throw Failure.badBlock("reserved block type")
            }
        }
        let out = Array(window[start...])
        if window.count > 1 << 16 { window.removeFirst(window.count - (1 << 15)) }
        return out
    }

    private mutating func stored(_ bits: inout BitReader) throws {
        bits.alignToByte()
        let len = Int(try bits.byte()) | Int(try bits.byte()) << 8
        let nlen = Int(try bits.byte()) | Int(try bits.byte()) << 8
        guard len == ~nlen & 0xffff else { throw Failure.badBlock("stored length check") }
        for _ in 0..<len { window.append(try bits.byte()) }
    }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                                   4097, 6145, 8193, 12289, 16385, 24577]
    private static let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    private static let fixedLengths: Huffman = {
        var l = [Int](repeating: 8, count: 288)
        for i in 144..<256 { l[i] = 9 }
        for i in 256..<280 { l[i] = 7 }
        return Huffman(lengths: l)
    }()
    private static let fixedDistances = Huffman(lengths: [Int](repeating: 5, count: 30))

    private mutating func codes(_ bits: inout BitReader, _ lit: Huffman, _ dist: Huffman) throws {
        while true {
            let sym = try lit.decode(&bits)
            if sym < 256 { window.append(UInt8(sym)); continue }
            if sym == 256 { return }
            let li = sym - 257
            guard li < 29 else { throw Failure.badBlock("bad length symbol") }
            let length = Self.lengthBase[li] + (try bits.bits(Self.lengthExtra[li]))
            let ds = try dist.decode(&bits)
            guard ds < 30 else { throw Failure.badBlock("bad distance symbol") }
            let distance = Self.distBase[ds] + (try bits.bits(Self.distExtra[ds]))
            guard distance <= window.count else { throw Failure.badBlock("distance too far back") }
            let from = window.count - distance
            for k in 0..<length { window.append(window[from + k]) }
        }
    }

    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private mutating func dynamic(_ bits: inout BitReader) throws {
        let nlen = try bits.bits(5) + 257, ndist = try bits.bits(5) + 1, ncode = try bits.bits(4) + 4
        var clen = [Int](repeating: 0, count: 19)
        for i in 0..<ncode { clen[Self.codeLengthOrder[i]] = try bits.bits(3) }
        let lencode = Huffman(lengths: clen)
        var lengths: [Int] = []
        while lengths.count < nlen + ndist {
            let sym = try lencode.decode(&bits)
            switch sym {
            case 0..<16: lengths.append(sym)
            case 16:
                guard let prev = lengths.last else { throw Failure.badBlock("repeat with no previous length") }
                lengths += [Int](repeating: prev, count: 3 + (try bits.bits(2)))
            case 17: lengths += [Int](repeating: 0, count: 3 + (try bits.bits(3)))
            default: lengths += [Int](repeating: 0, count: 11 + (try bits.bits(7)))
            }
        }
        guard lengths.count == nlen + ndist else { throw Failure.badBlock("too many lengths") }
        try codes(&bits, Huffman(lengths: Array(lengths[0..<nlen])), Huffman(lengths: Array(lengths[nlen...])))
    }
}

/// A canonical Huffman code as counts per length and symbols in code order (puff.c's representation).
private struct Huffman {
    var count = [Int](repeating: 0, count: 16)
    var symbol: [Int]

    init(lengths: [Int]) {
        for l in lengths { count[l] += 1 }
        count[0] = 0
        var offs = [Int](repeating: 0, count: 16)
        for len in 1..<15 { offs[len + 1] = offs[len] + count[len] }
        symbol = [Int](repeating: 0, count: lengths.count)
        for (sym, l) in lengths.enumerated() where l != 0 {
            symbol[offs[l]] = sym
            offs[l] += 1
        }
    }

    func decode(_ bits: inout BitReader) throws -> Int {
        var code = 0, first = 0, index = 0
        for len in 1...15 {
            code |= try bits.bits(1)
            let n = count[len]
            if code - n < first { return symbol[index + (code - first)] }
            index += n
            first = (first + n) << 1
            code <<= 1
        }
        throw Inflater.Failure.badBlock("invalid Huffman code")
    }
}

/// LSB-first bit reader over one chunk of input.
private struct BitReader {
    let data: [UInt8]
    var pos = 0
    var buf = 0
    var count = 0

    init(_ data: [UInt8]) { self.data = data }

    /// No whole byte left (only padding bits of the last one).
    var atEnd: Bool { pos >= data.count && count < 8 }

    mutating func bits(_ n: Int) throws -> Int {
        while count < n {
            guard pos < data.count else { throw Inflater.Failure.truncated }
            buf |= Int(data[pos]) << count
            pos += 1
            count += 8
        }
        let v = buf & ((1 << n) - 1)
        buf >>= n
        count -= n
        return v
    }

    mutating func alignToByte() { buf = 0; count = 0 }

    mutating func byte() throws -> UInt8 {
        if count >= 8 { return UInt8(try bits(8)) }
        guard pos < data.count else { throw Inflater.Failure.truncated }
        defer { pos += 1 }
        return data[pos]
    }
}
