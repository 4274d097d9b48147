import Foundation
import Logging
import PortholeKube
import PortholeLab

/// In-process labs for the safety tests: the test keeps the lab's `RequestLog` and `ObjectStore`
/// while the real binary (or the engine) talks to it through real kubectl.
enum LabFixture {
    /// Starts a shipped scenario with the built-in Prometheus stand-in. Labs on the same addresses queue
    /// (120 s) instead of failing, so these tests can run beside other lab tests.
    static func start(_ scenario: String) throws -> LabInstance {
        var options = LabOptions(scenario: try relocated(scenario))
        options.useRealPrometheus = false
        options.waitForOtherLab = 120
        var logger = Logger(label: "porthole.lab.test")
        logger.logLevel = .critical
        return try LabInstance.start(options, logger: logger)
    }

    /// Starts a scenario file a test wrote (the lab moves it to free loopback addresses if its own are taken).
    static func start(file: String) throws -> LabInstance {
        var options = LabOptions(scenario: file)
        options.useRealPrometheus = false
        options.waitForOtherLab = 120
        var logger = Logger(label: "porthole.lab.test")
        logger.logLevel = .critical
        return try LabInstance.start(options, logger: logger)
    }

    /// A copy of the shipped scenario on other loopback addresses (second octet moved by an offset fixed
    /// per test process), so these labs run beside a `lab serve` of the same scenario instead of waiting.
    static func relocated(_ scenario: String) throws -> String {
        let out = try moved(Self.text(scenario))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("porthole-safety-\(offset)-\(scenario).yaml").path
        try out.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `text` with the second octet of every `127.` address moved by `offset`.
    static func moved(_ text: String) throws -> String {
        let regex = try NSRegularExpression(pattern: #"\b127\.([0-9]{1,3})\."#)
        var out = text
        for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            let octet = Int((text as NSString).substring(with: m.range(at: 1)))!
            out = (out as NSString).replacingCharacters(in: m.range, with: "127.\((octet + offset) % 254 + 1).")
        }
        return out
    }

    /// Addresses written as `scenario` writes them (playbook inputs such as a pool range), moved to where `lab`
    /// serves that scenario: by `offset` like the scenario text, then by the third-octet shift the lab chose when
    /// another lab held the addresses (`AddressRelocation`), read off the first node.
    static func addresses(_ written: [String: String], scenario: String, lab: LabInstance) throws -> [String: String] {
        guard !written.isEmpty else { return [:] }
        let text = try moved(Self.text(scenario))
        let nodeRegex = try NSRegularExpression(pattern: #"internalIP:\s*"?127\.[0-9]+\.([0-9]+)\."#)
        guard let m = nodeRegex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let writtenThird = Int((text as NSString).substring(with: m.range(at: 1))),
              let served = lab.topology.nodes.first?.internalIP.split(separator: "."), served.count == 4, let servedThird = Int(served[2]) else {
            throw FixtureError.bad(scenario, "cannot tell where the lab moved the scenario's addresses")
        }
        let shift = (servedThird - writtenThird + 256) % 256
        let address = try NSRegularExpression(pattern: #"\b127\.([0-9]+)\.([0-9]+)\.([0-9]+)\b"#)
        var out: [String: String] = [:]
        for (key, value) in written {
            var v = try moved(value)
            for m in address.matches(in: v, range: NSRange(v.startIndex..., in: v)).reversed() {
                let octets = (1...3).map { Int((v as NSString).substring(with: m.range(at: $0)))! }
                v = (v as NSString).replacingCharacters(in: m.range, with: "127.\(octets[0]).\((octets[1] + shift) % 256).\(octets[2])")
            }
            out[key] = v
        }
        return out
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// A scenario's text: `NAME` is a shipped scenario, or a variant kept in `Fixtures/NAME.yaml`; each `+OVERLAY`
    /// appends `Fixtures/OVERLAY.yaml` (`notes+earlier-attempt` is `notes` with the earlier attempt's objects).
    ///
    /// An overlay changes its base without a new scenario format, since two objects of one identity would make the
    /// lab refuse the scenario: an overlay document naming an object of the base (kind, namespace, name) replaces it
    /// where it stood, and a comment line `# remove: KIND NAMESPACE/NAME` (or `KIND NAME` when cluster-scoped) drops
    /// one. Naming an object the base does not hold is an error, so a renamed base object cannot go unnoticed.
    static func text(_ scenario: String) throws -> String {
        let parts = scenario.split(separator: "+").map(String.init)
        let shipped = "\(PortholeBinary.repository)/scenarios/\(parts[0]).yaml"
        let base = FileManager.default.fileExists(atPath: shipped) ? shipped : "\(fixtures)/\(parts[0]).yaml"
        var text = try String(contentsOfFile: base, encoding: .utf8)
        for extra in parts.dropFirst() {
            text = try overlay(text, with: String(contentsOfFile: "\(fixtures)/\(extra).yaml", encoding: .utf8), named: extra)
        }
        return text
    }

    enum FixtureError: Error, CustomStringConvertible {
        case bad(String, String)
        var description: String { if case let .bad(name, detail) = self { return "\(name): \(detail)" }; return "" }
    }

    /// `base` with `overlay` applied: removals, replacements in place, the other documents appended.
    static func overlay(_ base: String, with overlay: String, named name: String) throws -> String {
        var docs = documents(base)
        let ids = try docs.map(identity)
        for line in overlay.split(separator: "\n") where line.hasPrefix("# remove: ") {
            let words = line.dropFirst("# remove: ".count).split(separator: " ").map(String.init)
            guard words.count == 2 else { throw FixtureError.bad(name, "'\(line)' is not '# remove: KIND NAMESPACE/NAME'") }
            let id = words[0] + " " + (words[1].contains("/") ? words[1] : "/" + words[1])
            guard let i = ids.firstIndex(of: id) else { throw FixtureError.bad(name, "removes \(id), which the base does not hold") }
            docs[i] = ""
        }
        var appended: [String] = []
        for doc in documents(overlay) {
            guard let id = try identity(doc) else { appended.append(doc); continue }
            if let i = ids.firstIndex(of: id) { docs[i] = doc } else { appended.append(doc) }
        }
        return (docs + appended).filter { !$0.allSatisfy(\.isWhitespace) }.joined(separator: "\n---\n")
    }

    /// The documents of a multi-document text, split at `---` lines.
    static func documents(_ text: String) -> [String] {
        var docs: [String] = [], current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "---" { docs.append(current.joined(separator: "\n")); current = [] } else { current.append(line) }
        }
        docs.append(current.joined(separator: "\n"))
        return docs
    }

    /// `KIND NAMESPACE/NAME` of a Kubernetes object document (empty namespace when none is written); nil for a
    /// document of comments only.
    static func identity(_ doc: String) throws -> String? {
        let v = try JSONValue.yaml(doc)
        guard let kind = v["kind"]?.stringValue else { return nil }
        return "\(kind) \(v["metadata"]?["namespace"]?.stringValue ?? "")/\(v["metadata"]?["name"]?.stringValue ?? "")"
    }

    static let offset = 17 + Int(ProcessInfo.processInfo.processIdentifier % 61)

    /// Every shipped scenario (`scenarios/*.yaml`), by name.
    static var scenarios: [String] { names(in: "scenarios") }

    /// Every shipped playbook (`playbooks/*.yaml`), by id.
    static var playbooks: [String] { names(in: "playbooks") }

    private static func names(in directory: String) -> [String] {
        let dir = PortholeBinary.repository + "/" + directory
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }
}
