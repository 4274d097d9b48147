import Foundation
import PortholeKube

/// The load-time checks that need the whole playbook: ids, references, variables, regular
/// expressions, paths and finding codes. Every problem is reported, in file order.
struct PlaybookValidator {
    let playbook: Playbook
    let notes: DecodeNotes
    let file: String
    /// Ids a `next.playbook` may name; nil skips the check (a lone file with no library around it).
    let knownPlaybooks: Set<String>?
    let findings: FindingCatalogLookup

    func validate() -> [PlaybookError] {
        var errors: [PlaybookError] = []
        var stepIDs: Set<String> = []
        var defined = Set(playbook.inputs.map(\.name))
        var definedAt: [Set<String>] = []
        for (i, step) in playbook.steps.enumerated() {
            let base = "steps[\(i)]"
            if !stepIDs.insert(step.id).inserted { errors.append(.duplicateID(loc("\(base).id"), kind: "step", id: step.id)) }
            errors += duplicates(step.probes.map(\.id), kind: "probe", base: "\(base).probes")
            errors += duplicates(step.fixes.map(\.id), kind: "fix", base: "\(base).fixes")
            if step.outcomes.last?.when != nil || step.outcomes.isEmpty {
                errors.append(.noFallbackOutcome(loc(base), step: step.id))
            }
            for (j, o) in step.outcomes.enumerated() {
                if let f = o.fix, step.fix(f) == nil { errors.append(.unknownFix(loc("\(base).outcomes[\(j)].fix"), fix: f)) }
                if let s = o.next?.step, !playbook.steps.contains(where: { $0.id == s }) {
                    errors.append(.unknownNext(loc("\(base).outcomes[\(j)].next.step"), kind: "step", name: s))
                }
                if let p = o.next?.playbook, let known = knownPlaybooks, !known.contains(p), p != playbook.id {
                    errors.append(.unknownNext(loc("\(base).outcomes[\(j)].next.playbook"), kind: "playbook", name: p))
                }
            }
            for c in step.captures { defined.insert(c.variable) }
            definedAt.append(defined)
        }
        for use in notes.probeRefs {
            guard let s = use.step else { continue }
            if playbook.steps[s].probe(use.text) == nil { errors.append(.unknownProbe(use.location, probe: use.text)) }
        }
        for use in notes.onlyIfProbeRefs {
            errors.append(.invalidValue(use.location, detail: "`onlyIf` is decided before probing: it reads `var:` only"))
        }
        let inputs = Set(playbook.inputs.map(\.name))
        for use in notes.templates {
            let names = (try? Template(use.text).variables) ?? []
            let visible = use.step.map { definedAt[$0] } ?? inputs
            for n in names where !visible.contains(n) { errors.append(.undefinedVariable(use.location, name: n)) }
        }
        for use in notes.regexes where !use.text.contains("${") {
            do { _ = try NSRegularExpression(pattern: use.text) } catch {
                errors.append(.invalidRegex(use.location, pattern: use.text, detail: "it does not compile (RE2 and ICU want `.*`, not `*`)"))
            }
        }
        for use in notes.paths {
            let probe = use.text.replacingOccurrences(of: "\\$\\{[^}]*\\}", with: "0", options: .regularExpression)
            do { _ = try SelectionPath(probe) } catch { errors.append(.invalidPath(use.location, detail: "\(error)")) }
        }
        for use in notes.findingCodes where !findings.knows(code: use.text) {
            errors.append(.unknownFinding(use.location, code: use.text))
        }
        return errors.sorted { order($0) < order($1) }
    }

    func duplicates(_ ids: [String], kind: String, base: String) -> [PlaybookError] {
        var seen: Set<String> = []
        var out: [PlaybookError] = []
        for (i, id) in ids.enumerated() where !seen.insert(id).inserted {
            out.append(.duplicateID(loc("\(base)[\(i)].id"), kind: kind, id: id))
        }
        return out
    }

    func loc(_ path: String) -> PlaybookLocation {
        notes.locations[path] ?? PlaybookLocation(file: file, mark: nil, keyPath: path)
    }

    func order(_ e: PlaybookError) -> (Int, Int) {
        (e.location?.mark?.line ?? Int.max, e.location?.mark?.column ?? 0)
    }
}
