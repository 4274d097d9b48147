import Foundation
import Yams

/// Fixes: what they write (`manifest`, `kubectl` or `background`), their targets, undo and verify budget.
extension PlaybookDecoder {
    static let fixActions = ["manifest", "kubectl", "background"]

    func fix(_ c: NodeCursor) throws -> Fix {
        let m = try c.mapping(allowed: ["id", "title", "changes", "writes", "target", "warning", "undo", "verify"] + Self.fixActions)
        let given = m.keys.filter { Self.fixActions.contains($0) }
        if given.count > 1 {
            throw PlaybookError.invalidValue(c.location, detail: "a fix has one of `manifest`, `kubectl` or `background`, found "
                                             + given.map { "`\($0)`" }.joined(separator: " and "))
        }
        var action = FixAction.none
        if let mc = m.optional("manifest") { action = .manifest(try text(mc)) }
        if let kc = m.optional("kubectl") { action = .kubectl(try texts(kc)) }
        if let bc = m.optional("background") { action = .background(try background(bc)) }
        let writesCursor = m.optional("writes")
        let writes = try writesCursor?.bool() ?? (action != .none)
        if writes, action == .none { throw PlaybookError.missingKey(c.location, key: "manifest`, `kubectl` or `background") }
        var targets: [ObjectQuery] = []
        if let t = m.optional("target") {
            if case .sequence = t.node { targets = try t.sequence().map { try objectQuery($0) } } else { targets = [try objectQuery(t)] }
        }
        var undo: [String]?
        if let u = m.optional("undo") { undo = try texts(try u.mapping(allowed: ["kubectl"]).required("kubectl")) }
        if action.isBackground {
            // A process is undone by stopping it: an object target or a kubectl undo would promise something else.
            if let w = writesCursor, !writes {
                throw PlaybookError.invalidValue(w.location, detail: "a `background` fix starts a process: it always writes (and needs consent)")
            }
            for key in ["target", "undo"] where m.optional(key) != nil {
                throw PlaybookError.invalidValue(m.location(ofKey: key),
                                                 detail: "a `background` fix is undone by stopping its process; `\(key)` does not apply")
            }
        }
        var verify: Verify?
        if let vc = m.optional("verify") {
            let vm = try vc.mapping(allowed: ["probes", "interval", "timeout"])
            let probes = try vm.required("probes").sequence()
            for p in probes { notes.probeRefs.append(.init(text: try p.string(), location: p.location, step: step)) }
            verify = Verify(probes: try probes.map { try $0.string() }, interval: try vm.optional("interval")?.duration() ?? 2,
                            timeout: try vm.optional("timeout")?.duration() ?? 30)
        }
        return Fix(id: try ident(m, "fix"), title: try text(m.required("title")), changes: try m.optional("changes").map(text) ?? "",
                   writes: writes, targets: targets, action: writes ? action : .none,
                   warning: try m.optional("warning").map(text), undo: undo, verify: verify)
    }

    /// Verbs a `background` fix may run: long-running and local, changing nothing in the cluster, so that
    /// stopping the process undoes it. `kubectl delete` in the background would escape the journal's undo.
    static let backgroundVerbs: Set<String> = ["port-forward"]

    /// kubectl's global options that take the next argument as their value (`-n NS`): skipped to find the verb.
    static let optionsWithValue: Set<String> = ["-n", "--namespace", "--context", "--cluster", "--user", "--kubeconfig", "-s", "--server",
                                                 "--request-timeout", "--as", "--as-group", "--cache-dir", "-v", "--v"]

    /// `background: {kubectl: [ARGS...]}`: argv after `kubectl`, substituted per argument like every other.
    func background(_ c: NodeCursor) throws -> [String] {
        let bm = try c.mapping(allowed: ["kubectl"])
        let kc = try bm.required("kubectl")
        let elements = try kc.sequence()
        let args = try texts(kc)
        var i = 0
        while i < args.count, args[i].hasPrefix("-") { i += Self.optionsWithValue.contains(args[i]) ? 2 : 1 }
        guard i < args.count else {
            throw PlaybookError.invalidValue(kc.location, detail: "`background` needs a kubectl command: `port-forward` with its arguments")
        }
        guard Self.backgroundVerbs.contains(args[i]) else {
            throw PlaybookError.invalidValue(elements[i].location, detail: "`background` runs `kubectl port-forward` only (a local tunnel that "
                                             + "changes nothing in the cluster, undone by stopping it), not `\(args[i])`")
        }
        return args
    }
}
