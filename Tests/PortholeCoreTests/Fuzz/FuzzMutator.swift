import Foundation
import PortholeKube

/// SplitMix64: every fuzz input is a pure function of the seed, so `PORTHOLE_FUZZ_SEED` replays a run.
struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }
}

/// Mutates valid documents into hostile ones: structure first (deleted keys, wrong types, huge strings,
/// deep nesting, swapped subtrees), then bytes (invalid UTF-8, truncation, random bytes).
struct FuzzMutator {
    var random: FuzzRandom
    /// Bound on the nesting a mutation adds (parsers must refuse or survive it, never overflow the stack).
    var maxNesting = 3000
    var hugeString = 200_000

    init(seed: UInt64) { random = FuzzRandom(seed: seed) }

    /// The name of the last mutation, for failure messages.
    private(set) var lastMutation = ""

    /// One hostile input derived from `seed`, as bytes.
    mutating func mutate(_ seed: JSONValue) -> Data {
        var v = seed
        for _ in 0...random.below(3) { v = mutateStructure(v) }
        var bytes = Array(v.compactJSON.utf8)
        if random.chance(0.35) { bytes = mutateBytes(bytes) }
        if random.chance(0.02) { lastMutation = "random bytes"; bytes = (0..<random.below(600)).map { _ in UInt8(random.below(256)) } }
        return Data(bytes)
    }

    mutating func mutateStructure(_ v: JSONValue) -> JSONValue {
        let count = Self.nodeCount(v)
        let target = random.below(count)
        var index = 0
        var op = random.below(7)
        let donor = Self.node(v, at: random.below(count))
        // Nesting compounds over mutations; past `maxNesting` the mutator's own recursion (and the writer's)
        // would overflow the test's stack before porthole ever saw the input.
        if op == 3 || op == 4, Self.depth(v) + Self.depth(donor) > maxNesting { op = 1 }
        lastMutation = ["delete key", "wrong type", "huge string", "deep nesting", "copy subtree", "odd number", "empty container"][op]
        return transform(v, target: target, index: &index, op: op, donor: donor)
    }

    private mutating func transform(_ v: JSONValue, target: Int, index: inout Int, op: Int, donor: JSONValue) -> JSONValue {
        let here = index
        index += 1
        if here == target { return apply(op, to: v, donor: donor) }
        switch v {
        case .array(let a): return .array(a.map { transform($0, target: target, index: &index, op: op, donor: donor) })
        case .object(let o):
            var out: [String: JSONValue] = [:]
            for k in o.keys.sorted() { out[k] = transform(o[k]!, target: target, index: &index, op: op, donor: donor) }
            return .object(out)
        default: return v
        }
    }

    private mutating func apply(_ op: Int, to v: JSONValue, donor: JSONValue) -> JSONValue {
        switch op {
        case 0:
            guard case .object(var o) = v, !o.isEmpty else { return .null }
            o.removeValue(forKey: o.keys.sorted()[random.below(o.count)])
            return .object(o)
        case 1:
            let options: [JSONValue] = [.null, .bool(true), .int(-1), .double(1.5e300), .string("x"), .array([]), .object([:]),
                                        .string("${undefined}"), .string("[a-z"), .int(Int.max), .int(Int.min)]
            return options[random.below(options.count)]
        case 2: return .string(String(repeating: "é𝄞a", count: hugeString / 6))
        case 3:
            var out = v
            for i in 0..<(1 + random.below(max(1, maxNesting - Self.depth(v)))) { out = i % 2 == 0 ? .array([out]) : .object(["k": out]) }
            return out
        case 4: return donor
        case 5: return [.int(0), .int(-65536), .int(99_999_999_999), .double(-0.0), .double(.greatestFiniteMagnitude)][random.below(5)]
        default:
            if case .array = v { return .array([]) }
            return .object([:])
        }
    }

    mutating func mutateBytes(_ input: [UInt8]) -> [UInt8] {
        var b = input
        let op = random.below(5)
        lastMutation += ", then " + ["invalid UTF-8", "truncate", "flip bytes", "insert random bytes", "duplicate a range"][op]
        let at = random.below(b.count + 1)
        switch op {
        case 0:
            let bad: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x00]]
            b.insert(contentsOf: bad[random.below(bad.count)], at: at)
        case 1: b = Array(b.prefix(at))
        case 2: for _ in 0...random.below(8) where !b.isEmpty { b[random.below(b.count)] ^= UInt8(1 << random.below(8)) }
        case 3: b.insert(contentsOf: (0..<random.below(64)).map { _ in UInt8(random.below(256)) }, at: at)
        default:
            guard !b.isEmpty else { break }
            let from = random.below(b.count), len = min(b.count - from, random.below(256))
            b.insert(contentsOf: b[from..<(from + len)], at: at)
        }
        return b
    }

    static func depth(_ v: JSONValue) -> Int {
        switch v {
        case .array(let a): return 1 + (a.map(depth).max() ?? 0)
        case .object(let o): return 1 + (o.values.map(depth).max() ?? 0)
        default: return 0
        }
    }

    static func nodeCount(_ v: JSONValue) -> Int {
        switch v {
        case .array(let a): return 1 + a.reduce(0) { $0 + nodeCount($1) }
        case .object(let o): return 1 + o.values.reduce(0) { $0 + nodeCount($1) }
        default: return 1
        }
    }

    /// The node at pre-order `index` (keys sorted), the whole value when out of range.
    static func node(_ v: JSONValue, at index: Int) -> JSONValue {
        var i = 0
        func walk(_ n: JSONValue) -> JSONValue? {
            if i == index { return n }
            i += 1
            switch n {
            case .array(let a): for c in a { if let f = walk(c) { return f } }
            case .object(let o): for k in o.keys.sorted() { if let f = walk(o[k]!) { return f } }
            default: break
            }
            return nil
        }
        return walk(v) ?? v
    }
}

/// The seed and count of a fuzz run: `PORTHOLE_FUZZ_SEED` replays, `PORTHOLE_FUZZ_COUNT` scales.
struct FuzzRun {
    let seed: UInt64
    let count: Int

    init(defaultCount: Int) {
        let env = ProcessInfo.processInfo.environment
        seed = env["PORTHOLE_FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        count = env["PORTHOLE_FUZZ_COUNT"].flatMap(Int.init) ?? defaultCount
    }
}
