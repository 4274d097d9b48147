import Foundation
import Testing
@testable import PortholeREPL

@Suite struct ReplCommandTests {
    @Test(arguments: [
        ("use istio-gateway", ReplCommand.use(playbook: "istio-gateway")),
        ("  run  ", .run),
        ("undo", .undo(target: .last)),
        ("undo all", .undo(target: .all)),
        ("undo 3", .undo(target: .entry(3))),
        ("set host=prometheus.example.com", .set(key: "host", value: "prometheus.example.com")),
        ("set query=a=b c", .set(key: "query", value: "a=b c")),
        ("export s.md", .export(path: "s.md")),
        ("explain PH0201", .explain(code: "PH0201")),
        ("", .empty),
        ("quit", .quit),
        ("exit", .quit),
    ])
    func parses(_ line: String, _ expected: ReplCommand) {
        #expect(ReplCommand.parse(line) == expected)
    }

    @Test func badArgumentsSayTheUsage() {
        #expect(ReplCommand.parse("use") == .badArguments(command: "use", usage: "use PLAYBOOK"))
        #expect(ReplCommand.parse("set novalue") == .badArguments(command: "set", usage: "set KEY=VALUE"))
        #expect(ReplCommand.parse("undo -1") == .badArguments(command: "undo", usage: "undo [N|all]"))
    }

    /// `run nodeport` must not run the proposed playbook: a command that takes no argument refuses one.
    @Test(arguments: ["run nodeport", "next 3", "probe svc", "fix now", "apply now", "skip it", "back 2", "vars x",
                      "quit now", "playbooks all", "status x", "help use run", "explain PH0201 PH0301"])
    func extraArgumentsAreRefusedWithTheUsage(_ line: String) {
        let name = String(line.split(separator: " ")[0])
        #expect(ReplCommand.parse(line) == .badArguments(command: name, usage: CommandCatalog.usage(of: name)!))
    }

    @Test func tabsSeparateWordsAndSetValuesAreTrimmed() {
        #expect(ReplCommand.parse("use\tnodeport") == .use(playbook: "nodeport"))
        #expect(ReplCommand.parse("set hostName= x.example.com ") == .set(key: "hostName", value: "x.example.com"))
        #expect(ReplCommand.parse("set\thostName=a") == .set(key: "hostName", value: "a"))
    }

    @Test func suggestionsIgnoreCase() {
        #expect(Suggest.closest(to: "PH011", among: ["PH0115", "PH0201"]) == "PH0115")
        #expect(Suggest.closest(to: "ph0202", among: ["PH0115", "PH0201"]) == "PH0201")
        #expect(Suggest.closest(to: "nodeport", among: ["namespace", "nodePort"]) == "nodePort")
    }

    /// Every alias the parser accepts is one `help` knows (`help exit` said "no command `exit`").
    @Test func helpKnowsEveryAlias() {
        for alias in ["?", "h", "ls", "n", "why", "exit", "q"] {
            if case .unknown = ReplCommand.parse(alias) { Issue.record("`\(alias)` is not a command") }
            #expect(CommandCatalog.entry(alias) != nil, "\(alias)")
        }
        #expect(CommandCatalog.entry("exit")?.name == "quit")
    }

    /// `undo N` reverts the N newest writes (Core's undoer, as `porthole undo N`); help said "change N",
    /// which reads as only the Nth of the list, and `undo 2` then reverted two.
    @Test func undoHelpSaysNCountsTheNewest() {
        #expect(CommandCatalog.entry("undo")?.summary.contains("the N newest") == true)
        #expect(ReplCommand.parse("undo 2") == .undo(target: .entry(2)))
    }

    @Test func exportPathsTakeTildeFromHome() {
        let env = ["HOME": "/home/op"]
        #expect(ExportPath.resolve("~/s.md", environment: env) == "/home/op/s.md")
        #expect(ExportPath.resolve("~", environment: env) == "/home/op")
        #expect(ExportPath.resolve("s.md", environment: env) == "s.md")
        #expect(ExportPath.resolve("~other/s.md", environment: env) == "~other/s.md")
        #expect(ExportPath.resolve("~/s.md", environment: [:]) == "~/s.md")
    }

    @Test func unknownCommandsGetTheClosestSuggestion() {
        #expect(ReplCommand.parse("aply") == .unknown(word: "aply", suggestion: "apply"))
        #expect(ReplCommand.parse("staus") == .unknown(word: "staus", suggestion: "status"))
        #expect(ReplCommand.parse("exp") == .unknown(word: "exp", suggestion: "explain"))
        #expect(ReplCommand.parse("kubectl") == .unknown(word: "kubectl", suggestion: nil))
    }
}

final class FixedSource: CompletionSource {
    var playbookIDs = ["istio-gateway", "ingressgateway-port", "nodeport"]
    var stepIDs = ["gateway-service", "gateway-server"]
    var variableNames = ["namespace", "port"]
    var findingCodes = ["PH0201", "PH0301"]
}

@Suite struct ReplCompleterTests {
    let source = FixedSource()

    @Test func completesCommandsThenTheirArguments() {
        let c = ReplCompleter(source: source)
        #expect(c.completions(line: "ap", word: "ap") == ["apply"])
        #expect(c.completions(line: "use ist", word: "ist") == ["istio-gateway"])
        #expect(c.completions(line: "use i", word: "i") == ["ingressgateway-port", "istio-gateway"])
        #expect(c.completions(line: "step gateway-se", word: "gateway-se") == ["gateway-server", "gateway-service"])
        #expect(c.completions(line: "set p", word: "p") == ["port="])
        #expect(c.completions(line: "explain ph03", word: "ph03") == ["PH0301"])
        #expect(c.completions(line: "explain PH03", word: "PH03") == ["PH0301"])
        #expect(c.completions(line: "run x", word: "x") == [])
    }

    /// `set hostN<Tab>` must leave `set hostName=` so the value typed next has no leading space.
    @Test func tabClosesAWordWithASpaceButNotAVariableOrADirectory() {
        #expect(CompletionInsertion.text(word: "ist", candidates: ["istio-gateway"]) == "io-gateway ")
        #expect(CompletionInsertion.text(word: "hostN", candidates: ["hostName="]) == "ame=")
        #expect(CompletionInsertion.text(word: "/tm", candidates: ["/tmp/"]) == "p/")
        #expect(CompletionInsertion.text(word: "gateway-se", candidates: ["gateway-server", "gateway-service"]) == "rv")
        #expect(CompletionInsertion.text(word: "gateway-serv", candidates: ["gateway-server", "gateway-service"]) == nil)
    }

    @Test func completesFilePathsForExport() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-complete-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir.appendingPathComponent("session.md").path, contents: Data())
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = ReplCompleter(source: source)
        let base = dir.path + "/"
        #expect(c.completions(line: "export \(base)se", word: base + "se") == [base + "session.md"])
        #expect(c.completions(line: "export \(base)su", word: base + "su") == [base + "sub/"])
    }
}

@Suite struct PipedLineReaderTests {
    @Test func readsLinesThenEndOfInput() throws {
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data("use nodeport\r\nrun\nlast-without-newline".utf8))
        try pipe.fileHandleForWriting.close()
        let r = PipedLineReader(handle: pipe.fileHandleForReading)
        #expect(r.readLine(prompt: "> ") == .line("use nodeport"))
        #expect(r.readLine(prompt: "> ") == .line("run"))
        #expect(r.readLine(prompt: "> ") == .line("last-without-newline"))
        #expect(r.readLine(prompt: "> ") == .endOfInput)
    }
}
