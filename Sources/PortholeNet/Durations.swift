import Foundation

/// Parses `250ms`, `3s`, `1.5s`, `1m` into seconds; nil for anything else (no bare numbers, no negatives).
public func parseDuration(_ text: String) -> Double? {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
        let number = text.dropLast(suffix.count)
        guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), let v = Double(number), v >= 0 else { return nil }
        return v * scale
    }
    return nil
}
