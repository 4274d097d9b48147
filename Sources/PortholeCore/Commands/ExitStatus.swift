import Foundation

/// porthole's documented exit codes.
public enum ExitStatus: Int32, Sendable {
    /// The goal was reached (or the command did what it was asked).
    case goalReached = 0
    /// The run finished without reaching the goal.
    case goalNotReached = 1
    /// Bad usage or a playbook that does not load.
    case usage = 2
    /// The environment: kubectl missing, kubeconfig invalid, cluster unreachable, journal unwritable.
    case environment = 3

    /// The text `--help` and the README show.
    public static let help = """
    Exit codes: 0 goal reached; 1 goal not reached; 2 usage or playbook error; \
    3 environment error (kubectl missing, kubeconfig invalid, cluster unreachable).
    """
}

/// A usage problem found by porthole itself (not by the argument parser).
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
