import Foundation
import PortholeNet

extension LabFault {
    /// Parses `KIND[,key=value...]` (see `LabFault`).
    public static func parse(_ spec: String) throws -> LabFault {
        let parts = spec.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let head = parts.first, !head.isEmpty else { throw LabFaultError(spec: spec, detail: "empty fault") }
        var fault = LabFault(kind: try kind(head, spec: spec), spec: spec)
        for p in parts.dropFirst() {
            let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw LabFaultError(spec: spec, detail: "expected key=value, found '\(p)'") }
            let (k, v) = (kv[0], kv[1])
            switch k {
            case "share":
                guard let s = Double(v), (0...1).contains(s) else { throw LabFaultError(spec: spec, detail: "share takes 0...1, not '\(v)'") }
                fault.share = s
            case "path": fault.pathPrefix = v
            case "dry-run":
                guard v == "no" || v == "yes" else { throw LabFaultError(spec: spec, detail: "dry-run takes yes or no, not '\(v)'") }
                fault.sparesDryRun = v == "no"
            case "method": fault.method = v
            case "count":
                guard let n = Int(v), n >= 0 else { throw LabFaultError(spec: spec, detail: "count takes a whole number, not '\(v)'") }
                fault.count = n
            case "retry-after":
                guard let n = Int(v), n >= 0 else { throw LabFaultError(spec: spec, detail: "retry-after takes seconds, not '\(v)'") }
                fault.retryAfter = n
            case "after":
                guard let s = seconds(v) else { throw LabFaultError(spec: spec, detail: "after takes a duration, not '\(v)'") }
                fault.after = s
            default:
                throw LabFaultError(spec: spec, detail: "unknown key '\(k)' (share, path, method, count, retry-after, after, dry-run)")
            }
        }
        return fault
    }

    private static func kind(_ head: String, spec: String) throws -> Kind {
        let kv = head.split(separator: "=", maxSplits: 1).map(String.init)
        switch (kv[0], kv.count == 2 ? kv[1] : nil) {
        case ("500", nil), ("502", nil), ("503", nil), ("504", nil), ("429", nil): return .status(Int(kv[0])!)
        case ("reset", nil): return .reset
        case ("bad-json", nil): return .malformedJSON
        case ("html", nil): return .html
        case ("stall", let v?):
            guard let s = seconds(v) else { throw LabFaultError(spec: spec, detail: "stall takes a duration such as 2s, not '\(v)'") }
            return .stall(seconds: s)
        case ("drop", let v?):
            guard IPv4.isLoopback(v) else { throw LabFaultError(spec: spec, detail: "drop takes a lab address in 127.0.0.0/8, not '\(v)'") }
            return .dropAddress(v)
        default:
            throw LabFaultError(spec: spec, detail: "unknown fault '\(head)' (500, 502, 503, 504, 429, stall=DURATION, reset, bad-json, html, drop=ADDRESS)")
        }
    }

    /// "2s", "250ms", "1.5" (seconds).
    static func seconds(_ text: String) -> Double? {
        if text.hasSuffix("ms"), let v = Double(text.dropLast(2)) { return v / 1000 }
        if text.hasSuffix("s"), let v = Double(text.dropLast()) { return v }
        return Double(text)
    }
}
