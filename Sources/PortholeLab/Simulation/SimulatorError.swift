import Foundation

/// Why the simulation could not start.
public enum SimulatorError: Error, CustomStringConvertible, Sendable {
    /// The `prometheus` binary ran but `/-/ready` never answered 200; `output` is the end of its log.
    case prometheusDidNotStart(binary: String, output: String)

    public var description: String {
        switch self {
        case .prometheusDidNotStart(let binary, let output):
            return "\(binary) did not become ready within 30s. Its last output:\n\(output)"
        }
    }
}
