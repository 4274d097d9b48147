import Foundation
import PortholeKube
import Yams

/// What decoding noticed for the semantic checks that follow: every template, probe reference,
/// regular expression, path and finding code, each with its location and step.
final class DecodeNotes {
    struct Use { let text: String; let location: PlaybookLocation; let step: Int? }
    var templates: [Use] = []
    var probeRefs: [Use] = []
    var onlyIfProbeRefs: [Use] = []
    var regexes: [Use] = []
    var paths: [Use] = []
    var findingCodes: [Use] = []
    var locations: [String: PlaybookLocation] = [:]
}

/// Turns a Yams node tree into a `Playbook`, refusing unknown keys and wrong types at their exact
/// location. Semantic checks (ids, references, variables) are `PlaybookValidator`'s.
struct PlaybookDecoder {
    let notes = DecodeNotes()
    var step: Int?

    mutating func playbook(_ root: NodeCursor) throws -> Playbook {
        let m = try root.mapping(allowed: ["id", "title", "summary", "applies", "requires", "inputs", "steps"])
        let idCursor = try m.required("id")
        let id = try idCursor.string()
        guard id.range(of: "^[a-z][a-z0-9-]*$", options: .regularExpression) != nil else {
            throw PlaybookError.invalidValue(idCursor.location, detail: "a playbook id is lowercase letters, digits and `-`, starting with a letter")
        }
        var inputs: [PlaybookInput] = []
        if let ic = m.optional("inputs") {
            for e in try ic.mapping(allowed: nil).entries {
                guard Template.isName(e.key) else {
                    throw PlaybookError.invalidValue(e.value.location, detail: "`\(e.key)` is not a variable name")
                }
                let im = try e.value.mapping(allowed: ["default", "description", "format"])
                var input = PlaybookInput(name: e.key, defaultValue: try im.optional("default")?.string(),
                                          description: try im.optional("description")?.string() ?? "")
                if let fc = im.optional("format") {
                    let word = try fc.string()
                    guard let format = InputFormat(rawValue: word) else {
                        throw PlaybookError.invalidValue(fc.location, detail: "a format is one of \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")), not `\(word)`")
                    }
                    input.format = format
                    if let d = input.defaultValue, let why = format.problem(with: d), let dc = im.optional("default") {
                        throw PlaybookError.invalidValue(dc.location, detail: "the default does not fit format \(word): \(why)")
                    }
                }
                inputs.append(input)
            }
        }
        let stepCursors = try m.required("steps").sequence()
        var steps: [Step] = []
        for (i, sc) in stepCursors.enumerated() {
            step = i
            steps.append(try decodeStep(sc))
        }
        step = nil
        return Playbook(id: id, title: try m.required("title").string(), summary: try m.optional("summary")?.string() ?? "",
                        applies: try m.optional("applies")?.string() ?? "",
                        requires: try m.optional("requires")?.strings(template: false) ?? [],
                        inputs: inputs, steps: steps, source: root.file)
    }

    mutating func decodeStep(_ c: NodeCursor) throws -> Step {
        let m = try c.mapping(allowed: ["id", "title", "why", "onlyIf", "probes", "captures", "outcomes", "fixes"])
        notes.locations[c.path] = c.location
        let onlyIf = try m.optional("onlyIf").map { try matcher($0, source: nil, path: nil, onlyIf: true) }
        return Step(id: try ident(m, "step"), title: try text(m.required("title")), why: try m.optional("why").map(text) ?? "",
                    onlyIf: onlyIf,
                    probes: try m.optional("probes")?.sequence().map { try probe($0) } ?? [],
                    captures: try m.optional("captures")?.sequence().map { try capture($0) } ?? [],
                    outcomes: try m.required("outcomes").sequence().map { try outcome($0) },
                    fixes: try m.optional("fixes")?.sequence().map { try fix($0) } ?? [])
    }

    /// An id, remembered with its location for the duplicate check.
    func ident(_ m: MappingCursor, _ kind: String) throws -> String {
        let c = try m.required("id")
        let id = try c.string()
        notes.locations[c.path] = c.location
        return id
    }

    /// A string that may use variables, remembered for the variable check.
    func text(_ c: NodeCursor) throws -> String {
        let s = try c.template()
        notes.templates.append(.init(text: s, location: c.location, step: step))
        return s
    }

    func texts(_ c: NodeCursor) throws -> [String] { try c.sequence().map { try text($0) } }

    static let probeKinds = ["object", "kubectl", "http", "tcp", "findings"]

    func probe(_ c: NodeCursor) throws -> Probe {
        let m = try c.mapping(allowed: ["id", "timeout"] + Self.probeKinds)
        let kinds = m.keys.filter { Self.probeKinds.contains($0) }
        guard kinds.count == 1, let kindName = kinds.first else { throw PlaybookError.probeKindCount(c.location, found: kinds) }
        let k = try m.required(kindName)
        let kind: ProbeKind
        switch kindName {
        case "object":
            kind = .object(try objectQuery(k))
        case "kubectl":
            let km = try k.mapping(allowed: ["args", "json"])
            kind = .kubectl(args: try texts(km.required("args")), json: try km.optional("json")?.bool() ?? false)
        case "http":
            let hm = try k.mapping(allowed: ["url", "method", "host", "headers", "connectTimeout"])
            var headers: [String: String] = [:]
            if let h = hm.optional("headers") { for e in try h.mapping(allowed: nil).entries { headers[e.key] = try text(e.value) } }
            kind = .http(HTTPProbeSpec(url: try text(hm.required("url")), method: try hm.optional("method")?.string() ?? "GET",
                                       host: try hm.optional("host").map(text), headers: headers,
                                       connectTimeout: try hm.optional("connectTimeout")?.duration() ?? 2))
        case "tcp":
            let tm = try k.mapping(allowed: ["host", "port"])
            kind = .tcp(host: try text(tm.required("host")), port: try text(tm.required("port")))
        default:
            let fm = try k.mapping(allowed: ["codes", "namespace"])
            let codes = try fm.required("codes").sequence()
            for cc in codes { notes.findingCodes.append(.init(text: try cc.string(), location: cc.location, step: step)) }
            kind = .findings(codes: try codes.map { try $0.string() }, namespace: try fm.optional("namespace").map(text))
        }
        return Probe(id: try ident(m, "probe"), timeout: try m.optional("timeout")?.duration() ?? 5, kind: kind)
    }

    func objectQuery(_ c: NodeCursor) throws -> ObjectQuery {
        let om = try c.mapping(allowed: ["resource", "namespace", "name", "selector"])
        return ObjectQuery(resource: try om.required("resource").string(), namespace: try om.optional("namespace").map(text),
                           name: try om.optional("name").map(text), selector: try om.optional("selector").map(text))
    }

    func capture(_ c: NodeCursor) throws -> Capture {
        let m = try c.mapping(allowed: ["var", "probe", "path", "default", "when"])
        let probeCursor = try m.required("probe")
        notes.probeRefs.append(.init(text: try probeCursor.string(), location: probeCursor.location, step: step))
        let path = try m.optional("path").map { try pathText($0) }
        let v = try m.required("var")
        guard Template.isName(try v.string()) else { throw PlaybookError.invalidValue(v.location, detail: "`\(try v.string())` is not a variable name") }
        return Capture(variable: try v.string(), probe: try probeCursor.string(), path: path,
                       defaultValue: try m.optional("default").map(text),
                       when: try m.optional("when").map { try matcher($0, source: nil, path: nil, onlyIf: false) })
    }

    func pathText(_ c: NodeCursor) throws -> String {
        let p = try text(c)
        notes.paths.append(.init(text: p, location: c.location, step: step))
        return p
    }

    func outcome(_ c: NodeCursor) throws -> Outcome {
        let m = try c.mapping(allowed: ["when", "verdict", "finding", "message", "fix", "next"])
        let vc = try m.required("verdict")
        guard let verdict = VerdictLevel(rawValue: try vc.string()) else {
            throw PlaybookError.invalidValue(vc.location, detail: "a verdict is pass, warn or fail, not `\(try vc.string())`")
        }
        if let f = m.optional("finding") { notes.findingCodes.append(.init(text: try f.string(), location: f.location, step: step)) }
        if let f = m.optional("fix") { notes.locations[f.path] = f.location }
        var next: NextHop?
        if let nc = m.optional("next") {
            let nm = try nc.mapping(allowed: ["step", "playbook", "reason"])
            next = NextHop(step: try nm.optional("step")?.string(), playbook: try nm.optional("playbook")?.string(),
                           reason: try text(nm.required("reason")))
            guard next?.step != nil || next?.playbook != nil else { throw PlaybookError.missingKey(nc.location, key: "step` or `playbook") }
            for key in ["step", "playbook"] { if let k = nm.optional(key) { notes.locations[k.path] = k.location } }
        }
        return Outcome(when: try m.optional("when").map { try matcher($0, source: nil, path: nil, onlyIf: false) },
                       verdict: verdict, finding: try m.optional("finding")?.string(),
                       message: try m.optional("message").map(text), fix: try m.optional("fix")?.string(), next: next)
    }
}
