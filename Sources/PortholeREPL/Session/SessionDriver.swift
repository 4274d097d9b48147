import Foundation
import PortholeCore

/// Drives a guided session: reads lines, runs commands against the state, prints what happened.
/// Everything it does to the world goes through the context (kubectl, files, output) and the line reader.
public final class SessionDriver: CompletionSource {
    let context: PortholeContext
    let options: SessionOptions
    let reader: LineReader
    /// Re-read before every prompt when it follows the terminal, so output fits after a resize.
    var style: TerminalStyle
    let findings: FindingsService
    let gate = ConsentGate()
    let interrupts = InterruptWatcher()
    let spinner: Spinner
    public internal(set) var state = GuidedSession()
    /// The engine call in flight (a fix waits in it), if any.
    var operation: EngineOperation?
    /// Events already shown while a fix waited, so they are not printed twice when the step ends.
    var shown: Set<RunEvent> = []
    var finished = false
    /// Set once `quit` (or the end of input) has shown what is left in the cluster.
    var quitting = false

    public init(context: PortholeContext, options: SessionOptions, reader: LineReader, style: TerminalStyle,
                findings: FindingsService = .builtIn) {
        self.context = context
        self.options = options
        self.reader = reader
        self.style = style
        self.findings = findings
        spinner = Spinner()
        state.presetVariables = options.variables
        reader.completer = ReplCompleter(source: self)
    }

    /// The whole session: read the cluster, propose, then commands until `quit` or the end of input.
    public func run() async -> ExitStatus {
        if let path = options.transcriptPath {
            // A transcript that cannot be written is known before the session reads the cluster.
            do { try TranscriptExport(path: path, files: context.files, environment: context.environment).checkDestination() } catch {
                report(error)
                state.forcedExit = .usage
                return state.exitStatus
            }
        }
        guard await start() else { return state.exitStatus }
        // From here Ctrl-C cancels what runs (or is swallowed); piped, it ends porthole as any signal does.
        if style.interactive { interrupts.install() }
        defer { interrupts.uninstall() }
        while !finished {
            style = style.resized()
            switch reader.readLine(prompt: state.prompt) {
            case .line(let line):
                style = style.resized()
                state.interruptedAtPrompt = false
                guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                if HistoryFilter.keeps(line) { reader.addHistory(line) }
                state.record(line, at: context.clock.now)
                await handle(ReplCommand.parse(line))
            case .endOfInput:
                if style.interactive { say("") }
                await quit()
            case .interrupted:
                await interruptedAtPrompt()
            }
        }
        // A piped session an error ended never reached `quit`: it still says what it left in the cluster.
        if !quitting { sayWhatIsLeft() }
        writeTranscriptAtEnd()
        return state.exitStatus
    }

    /// A line on stdout.
    func say(_ text: String) { context.output.line(text) }
    func say(_ lines: [String]) { for l in lines { context.output.line(l) } }
    /// A diagnostic on stderr.
    func complain(_ text: String) { context.output.diagnostic(text) }

    /// Asks a yes/no question through the line reader; anything but y/yes (or the end of input) is no.
    func confirm(_ question: String) -> Bool {
        if !style.interactive { say(question) }
        let answer = reader.readLine(prompt: question + " [y/N] ")
        switch answer {
        case .line(let answer):
            state.record(answer, at: context.clock.now)
            let yes = ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
            if !style.interactive { say("  answer: \(yes ? "yes" : "no")") }
            return yes
        case .endOfInput, .interrupted:
            // Ctrl-D leaves the cursor after the question (Ctrl-C's reader already ended the line).
            say((style.interactive && answer == .endOfInput ? "\n" : "") + "  (no)")
            return false
        }
    }

    /// Ctrl-C at the prompt: the first one only explains; a second in a row asks before leaving.
    func interruptedAtPrompt() async {
        if state.interruptedAtPrompt {
            state.interruptedAtPrompt = false
            if confirm("Leave porthole?") { await quit(asked: true) }
        } else {
            state.interruptedAtPrompt = true
            say(style.dim("(Ctrl-C again to leave, or type quit)"))
        }
    }

    // MARK: CompletionSource

    public var playbookIDs: [String] { state.playbookIDs }
    public var stepIDs: [String] { state.run?.playbook.steps.map(\.id) ?? [] }
    public var variableNames: [String] {
        guard let run = state.run else { return Array(state.presetVariables.keys).sorted() }
        return Set(run.playbook.inputs.map(\.name)).union(run.variables.keys).sorted()
    }
    public var findingCodes: [String] { FindingsCatalogCodes.all }
}
