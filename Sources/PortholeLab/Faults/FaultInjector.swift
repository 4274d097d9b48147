import Foundation
import PortholeKube
import PortholeNet

/// SplitMix64: a small generator that replays exactly from its seed (fault shares, fuzz inputs).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Decides, request by request, which API fault hits; deterministic for a seed and a request order.
final class FaultInjector: @unchecked Sendable {
    private let faults: [LabFault]
    private let lock = NSLock()
    private var rng: SeededGenerator
    private var hits: [Int]
    /// How many requests each fault hit, in `faults` order (tests read it).
    var hitCounts: [Int] { lock.lock(); defer { lock.unlock() }; return hits }

    init(faults: [LabFault], seed: UInt64) {
        self.faults = faults
        self.rng = SeededGenerator(seed: seed)
        self.hits = Array(repeating: 0, count: faults.count)
    }

    var isEmpty: Bool { faults.allSatisfy { if case .dropAddress = $0.kind { return true } else { return false } } }

    /// Applies stalls (by sleeping) and returns the answer that replaces the real one, or nil to answer normally.
    func intercept(method: String, path: String, query: String) -> (HTTPServerAction, Int)? {
        var stall = 0.0
        var replaced: (HTTPServerAction, Int)?
        lock.lock()
        for (i, f) in faults.enumerated() where f.matches(method: method, path: path, query: query) {
            if let c = f.count, hits[i] >= c { continue }
            // Draw for every matching request, hit or not, so a seed replays the same pattern.
            let draw = Double.random(in: 0..<1, using: &rng)
            guard draw < f.share else { continue }
            if case .stall(let s) = f.kind { hits[i] += 1; stall += s; continue }
            guard replaced == nil else { continue }
            hits[i] += 1
            replaced = Self.answer(f)
        }
        lock.unlock()
        if stall > 0 { Thread.sleep(forTimeInterval: stall) }
        return replaced
    }

    static func answer(_ f: LabFault) -> (HTTPServerAction, Int) {
        switch f.kind {
        case .status(let code):
            let reasons = [429: "TooManyRequests", 500: "InternalError", 502: "BadGateway", 503: "ServiceUnavailable", 504: "Timeout"]
            let message = code == 429 ? "the server has received too many requests and has asked us to try again later (injected fault \(f.spec))"
                : "injected fault \(f.spec)"
            let status: JSONValue = .object(["kind": .string("Status"), "apiVersion": .string("v1"), "metadata": .object([:]),
                                             "status": .string("Failure"), "message": .string(message),
                                             "reason": .string(reasons[code] ?? "InternalError"), "code": .int(code)])
            var headers: [(String, String)] = []
            if let s = f.retryAfter { headers.append(("Retry-After", "\(s)")) }
            return (.respond(HTTPResponse(status: code, contentType: "application/json", body: status.compactJSON, headers: headers)), code)
        case .reset:
            return (.reset, 0)
        case .malformedJSON:
            return (.respond(HTTPResponse(status: 200, contentType: "application/json", body: "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[{\"metadata\":")), 200)
        case .html:
            let page = "<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Proxy sign-in required</h1></body></html>"
            return (.respond(HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: page)), 200)
        case .stall, .dropAddress:
            return (.close, 0)
        }
    }
}
