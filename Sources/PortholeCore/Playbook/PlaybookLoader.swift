import Foundation
import PortholeKube
import Yams

/// Reads playbook text into a validated `Playbook`, or reports every problem with its location.
public struct PlaybookLoader: Sendable {
    /// Ids `next.playbook` may name; nil skips that check.
    public var knownPlaybooks: Set<String>?
    public var findings: FindingCatalogLookup

    public init(knownPlaybooks: Set<String>? = PlaybookLibrary.shippedIDs, findings: FindingCatalogLookup = CodeFormatCatalog()) {
        self.knownPlaybooks = knownPlaybooks
        self.findings = findings
    }

    /// The playbook, or the first error in file order.
    public func load(text: String, file: String) throws -> Playbook {
        let (playbook, errors) = decode(text: text, file: file)
        if let first = errors.first { throw first }
        return playbook!
    }

    public func load(path: String, files: FileSystem) throws -> Playbook {
        try load(text: try read(path, files), file: path)
    }

    /// Every problem in the text (empty when it is a valid playbook).
    public func validate(text: String, file: String) -> [PlaybookError] { decode(text: text, file: file).1 }

    public func validate(path: String, files: FileSystem) -> [PlaybookError] {
        do { return validate(text: try read(path, files), file: path) } catch let e as PlaybookError { return [e] } catch {
            return [.unreadable(PlaybookLocation(file: path, mark: nil, keyPath: ""), detail: (error as? FileSystemError).map(\.detail) ?? "\(error)")]
        }
    }

    func read(_ path: String, _ files: FileSystem) throws -> String {
        do { return String(decoding: try files.read(path), as: UTF8.self) } catch {
            throw PlaybookError.unreadable(PlaybookLocation(file: path, mark: nil, keyPath: ""), detail: (error as? FileSystemError).map(\.detail) ?? "\(error)")
        }
    }

    func decode(text: String, file: String) -> (Playbook?, [PlaybookError]) {
        let node: Node
        do {
            // The basic resolver: scalars stay text (the decoder types them by key), which spares the default
            // resolver's regular expressions on every scalar, most of a playbook's load time.
            guard let n = try Yams.compose(yaml: text, .basic) else {
                return (nil, [.wrongType(PlaybookLocation(file: file, mark: SourceMark(line: 1, column: 1), keyPath: ""),
                                         expected: "a playbook mapping", found: "an empty document")])
            }
            node = n
        } catch let e as YamlError {
            return (nil, [.syntax(PlaybookLocation(file: file, mark: SourceMark(yamlError: e), keyPath: ""), detail: Self.describe(e))])
        } catch {
            return (nil, [.syntax(PlaybookLocation(file: file, mark: nil, keyPath: ""), detail: (error as? FileSystemError).map(\.detail) ?? "\(error)")])
        }
        // Anchors that refer to each other (nested `any: [*m, *m, ...]`) expand to billions of matchers from a few
        // lines; decoding and validating them would never end. A playbook holds a few thousand values.
        var budget = Self.valueBudget
        if let mark = Self.overBudget(node, &budget) {
            return (nil, [.invalidValue(PlaybookLocation(file: file, mark: mark, keyPath: ""),
                                        detail: "more than \(Self.valueBudget) values once its aliases are expanded (an alias bomb?)")])
        }
        var decoder = PlaybookDecoder()
        do {
            let playbook = try decoder.playbook(NodeCursor(node: node, path: "", file: file))
            let errors = PlaybookValidator(playbook: playbook, notes: decoder.notes, file: file,
                                           knownPlaybooks: knownPlaybooks, findings: findings).validate()
            return (playbook, errors)
        } catch let e as PlaybookError {
            return (nil, [e])
        } catch {
            return (nil, [.invalidValue(PlaybookLocation(file: file, mark: nil, keyPath: ""), detail: (error as? FileSystemError).map(\.detail) ?? "\(error)")])
        }
    }

    /// How many values a playbook may hold once its aliases are expanded.
    static let valueBudget = 200_000

    /// The mark of the node where the walk ran out of `budget`, or nil when the whole tree fits in it.
    static func overBudget(_ node: Node, _ budget: inout Int) -> SourceMark? {
        budget -= 1
        if budget < 0 { return SourceMark(node.mark) }
        switch node {
        case .scalar, .alias: return nil
        case .sequence(let seq):
            for n in seq { if let m = overBudget(n, &budget) { return m } }
        case .mapping(let map):
            for (k, v) in map {
                if let m = overBudget(k, &budget) ?? overBudget(v, &budget) { return m }
            }
        }
        return nil
    }

    /// The YAML parser's own words, without its position (we print that ourselves).
    static func describe(_ e: YamlError) -> String {
        switch e {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            return [problem, context?.text].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case .reader(let problem, _, _, _):
            return problem
        case .duplicatedKeysInMapping(let keys, _):
            // Yams' own text carries the whole document as its context: name the keys only.
            return "a mapping has the key(s) \(keys.map { "`\($0)`" }.joined(separator: ", ")) more than once"
        default:
            return "\(e)"
        }
    }
}
