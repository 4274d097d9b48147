import Foundation
import PortholeFindings
import PortholeKube

/// Turns what the playbooks' http and tcp probes saw from the operator's side into the outside observations the
/// checks judge (PH0103, PH0105, PH0106, PH0107, PH0112...), so a diagnosis names those causes from the facts too.
enum ObservedProbes {
    /// One observation per http/tcp probe that ran, in order, without repeats: a connection that failed is one
    /// fact about its address and port whatever path the probe asked for; an HTTP answer is one per path.
    static func observations(_ records: [ProbeRecord]) -> [OutsideObservation] {
        var seen = Set<String>()
        var out: [OutsideObservation] = []
        for r in records where r.skipped == nil {
            guard let o = observation(r) else { continue }
            let answered: Bool
            if case .http = o.result { answered = true } else { answered = false }
            let key = "\(o.address):\(o.port)\(answered ? o.path ?? "" : "") \(o.resultText)"
            guard seen.insert(key).inserted else { continue }
            out.append(o)
        }
        return out
    }

    /// The observation one probe record stands for; nil for other kinds, or a target it cannot read.
    static func observation(_ r: ProbeRecord) -> OutsideObservation? {
        switch r.kind {
        case "http":
            // `METHOD URL` then, maybe, ` (Host: name)`: see HTTPProbe.
            let words = r.target.split(separator: " ")
            guard words.count >= 2, let url = URLComponents(string: String(words[1])), let host = url.host, !host.isEmpty else { return nil }
            let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
            let path = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
            return OutsideObservation(address: host, port: port, path: path, result: result(r.document))
        case "tcp":
            // `tcp host:port`: see TCPProbe.
            guard r.target.hasPrefix("tcp "), let colon = r.target.lastIndex(of: ":"),
                  let port = Int(r.target[r.target.index(after: colon)...]) else { return nil }
            let host = String(r.target[r.target.index(r.target.startIndex, offsetBy: 4)..<colon])
            return OutsideObservation(address: host, port: port, result: result(r.document))
        default:
            return nil
        }
    }

    static func result(_ doc: JSONValue) -> OutsideObservation.Result {
        if let status = doc["status"]?.intValue {
            let headers = (doc["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            return .http(status: status, headers: headers)
        }
        switch doc["error"]?.stringValue {
        case "refused": return .refused
        case "timeout": return .timeout
        case "reset", "closed": return .reset
        case let other?: return .other(other)
        case nil: return doc["connected"]?.boolValue == true ? .other("connected") : .other("unknown")
        }
    }
}
