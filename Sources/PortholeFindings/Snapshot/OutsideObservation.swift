import Foundation

/// What a probe from outside the cluster saw at an address and port, so checks can judge it too.
public struct OutsideObservation: Codable, Sendable, Hashable {
    /// How the connection or exchange ended.
    public enum Result: Codable, Sendable, Hashable {
        case refused
        case timeout
        case reset
        /// An HTTP answer; header names lowercase.
        case http(status: Int, headers: [String: String])
        case other(String)
    }

    public var address: String
    public var port: Int
    public var path: String?
    public var result: Result

    public init(address: String, port: Int, path: String? = nil, result: Result) {
        self.address = address; self.port = port; self.path = path; self.result = result
    }

    /// `address:port/path` as the operator would type it.
    public var target: String { "\(address):\(port)\(path ?? "")" }

    /// A short word for the result: `refused`, `timeout`, `reset`, `HTTP 404`.
    public var resultText: String {
        switch result {
        case .refused: return "refused"
        case .timeout: return "timeout"
        case .reset: return "reset"
        case .http(let status, _): return "HTTP \(status)"
        case .other(let s): return s
        }
    }
}
