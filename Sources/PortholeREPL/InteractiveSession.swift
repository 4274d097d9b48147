import Foundation
import PortholeCore

/// The guided session, as the executable starts it when no `--playbook` is given.
public enum InteractiveSession {
    /// Runs a whole session on the real terminal (libedit, history, Tab completion) or, when stdin or
    /// stdout is not a terminal, on piped lines with no prompt, colour or escape codes.
    /// Returns the exit code: 0 goal reached, 1 not, 2 usage, 3 environment.
    public static func run(context: PortholeContext, options: SessionOptions) async -> Int32 {
        let style = options.style ?? TerminalStyle.detect(environment: context.environment)
        let history = options.historyPath ?? SessionOptions.historyPath(environment: context.environment)
        var reader: LineReader = PipedLineReader()
        if style.interactive, let edit = LibEditLineReader(historyFile: history) { reader = edit }
        return await run(context: context, options: options, reader: reader, style: style).rawValue
    }

    /// The same session with a given line reader and style (tests script the reader).
    public static func run(context: PortholeContext, options: SessionOptions, reader: LineReader, style: TerminalStyle) async -> ExitStatus {
        let driver = SessionDriver(context: context, options: options, reader: reader, style: style)
        return await driver.run()
    }
}
