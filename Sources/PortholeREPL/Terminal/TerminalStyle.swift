import Foundation

/// Colour and width decisions for output: colour only on a terminal and never with NO_COLOR.
public struct TerminalStyle: Sendable {
    public let colour: Bool
    public let interactive: Bool
    public let width: Int

    public init(colour: Bool, interactive: Bool, width: Int = 80) {
        self.colour = colour; self.interactive = interactive; self.width = width
    }

    /// Decides from the real file descriptors and environment.
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalStyle {
        let tty = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb"
        let cols = Int(environment["COLUMNS"] ?? "") ?? 80
        return TerminalStyle(colour: tty && !noColour && !dumb, interactive: tty, width: min(max(cols, 40), 120))
    }

    public static let plain = TerminalStyle(colour: false, interactive: false)

    public func pass(_ s: String) -> String { paint(s, "32") }
    public func warn(_ s: String) -> String { paint(s, "33") }
    public func fail(_ s: String) -> String { paint(s, "31") }
    public func dim(_ s: String) -> String { paint(s, "2") }
    public func bold(_ s: String) -> String { paint(s, "1") }

    private func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
}
