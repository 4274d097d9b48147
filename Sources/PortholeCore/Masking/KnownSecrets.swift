import Foundation
import PortholeKube

/// Secret values porthole has seen in this process: inputs named like secrets, values under secret keys,
/// Secret data (and its decoded form). Once learnt, a value is masked wherever it shows up later: in a
/// capture, a message, a command line, a log line, the journal.
///
/// Learning happens where values enter (each probe's result, the run's inputs); masking happens in `Redactor`.
public final class KnownSecrets: @unchecked Sendable {
    public static let shared = KnownSecrets()

    private let lock = NSLock()
    private var values: [String: String] = [:]

    /// Shorter values are too likely to be ordinary words or numbers to mask everywhere.
    static let minimumLength = 6

    /// Names of inputs, variables and keys whose values are secrets (`dbPassword`, `bearer`, `api-key`...).
    public static func isSecretName(_ name: String) -> Bool {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "." }).last.map(String.init) ?? name
        let lower = last.lowercased()
        // `secretName`, `tokenRef`, `passwordSecretRef` name where a secret lives, not the secret.
        if lower.hasSuffix("name") || lower.hasSuffix("ref") || lower.hasSuffix("path") || lower.hasSuffix("file") { return false }
        return ["password", "passwd", "secret", "token", "bearer", "authorization", "apikey", "api-key", "api_key", "credential", "private-key", "privatekey"]
            .contains { lower.contains($0) }
    }

    /// Remembers `value` as a secret of kind `what` ("password", "token", "secret data"...).
    public func learn(_ value: String, as what: String) {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard v.count >= Self.minimumLength, !v.hasPrefix("<masked: ") else { return }
        lock.lock(); values[v] = what; lock.unlock()
    }

    /// Every value learnt, longest first (so a value containing another is masked whole).
    var all: [(value: String, what: String)] {
        lock.lock(); defer { lock.unlock() }
        return values.sorted { $0.key.count != $1.key.count ? $0.key.count > $1.key.count : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Learns what a cluster document holds: values under secret keys, and Secret data, raw and decoded.
    public func learn(from value: JSONValue) {
        switch value {
        case .array(let a): a.forEach(learn(from:))
        case .object(let o):
            let isSecret = o["kind"]?.stringValue == "Secret"
            for (k, v) in o {
                if let s = v.stringValue, Self.isSecretName(k) {
                    learn(s, as: Redactor.secretKeys[k.lowercased()] ?? "password")
                } else if isSecret, k == "data" || k == "stringData", let fields = v.objectValue {
                    for s in fields.values.compactMap(\.stringValue) {
                        learn(s, as: "secret data")
                        if k == "data", let d = Data(base64Encoded: s), let text = String(data: d, encoding: .utf8) { learn(text, as: "secret data") }
                    }
                } else {
                    learn(from: v)
                }
            }
        default: break
        }
    }

    /// Learns from kubectl's printed output when it is a JSON or YAML document (`get secret -o yaml`).
    public func learn(fromPrinted text: String) {
        guard text.count < 2_000_000, text.contains("kind") else { return }
        if let v = try? JSONValue.parse(text) { learn(from: v); return }
        if let docs = try? JSONValue.yamlDocuments(text) { docs.forEach { learn(from: $0.value) } }
    }

    /// Learns an HTTP probe's credentials: Authorization-like headers and the password of `user:password@` in the URL.
    public func learn(httpCredentials headers: [String: String], url: String) {
        for (k, v) in headers where k.lowercased() == "authorization" || Self.isSecretName(k) {
            learn(v, as: "authorization header")
            if let token = v.split(separator: " ", maxSplits: 1).dropFirst().first { learn(String(token), as: "token") }
        }
        if let authority = url.components(separatedBy: "://").dropFirst().first?.split(separator: "/").first,
           let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            learn(String(authority[authority.index(after: colon)..<at]), as: "credentials")
        }
    }

    /// Forgets everything (tests).
    public func reset() { lock.lock(); values.removeAll(); lock.unlock() }
}
