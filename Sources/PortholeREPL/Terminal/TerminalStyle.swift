import Foundation

/// Colour and width decisions for output: colour only on a terminal and never with NO_COLOR.
public struct TerminalStyle: Sendable {
    public let colour: Bool
    public let interactive: Bool
    public private(set) var width: Int
    /// True when `width` comes from the terminal, so the session re-reads it after a resize.
    public let followsTerminal: Bool

    public init(colour: Bool, interactive: Bool, width: Int = 80, followsTerminal: Bool = false) {
        self.colour = colour; self.interactive = interactive; self.width = width; self.followsTerminal = followsTerminal
    }

    /// Decides from the real file descriptors and environment. The width is the terminal's own (COLUMNS
    /// is a shell variable most shells do not export), else COLUMNS, else 80.
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalStyle {
        let tty = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb"
        let cols = (tty ? terminalColumns() : nil) ?? Int(environment["COLUMNS"] ?? "") ?? 80
        return TerminalStyle(colour: tty && !noColour && !dumb, interactive: tty, width: clamp(cols), followsTerminal: tty)
    }

    /// The same style at the terminal's current width (after a resize); unchanged when it does not follow one.
    public func resized() -> TerminalStyle {
        guard followsTerminal, let cols = Self.terminalColumns() else { return self }
        var s = self
        s.width = Self.clamp(cols)
        return s
    }

    /// Prose wraps between 40 and 120 columns: narrower is unreadable, wider too long a line to follow.
    static func clamp(_ cols: Int) -> Int { min(max(cols, 40), 120) }

    /// Columns of the terminal on stdout, nil when it is not one.
    static func terminalColumns() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    public static let plain = TerminalStyle(colour: false, interactive: false)

    public func pass(_ s: String) -> String { paint(s, "32") }
    public func warn(_ s: String) -> String { paint(s, "33") }
    public func fail(_ s: String) -> String { paint(s, "31") }
    public func dim(_ s: String) -> String { paint(s, "2") }
    public func bold(_ s: String) -> String { paint(s, "1") }

    private func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
}
