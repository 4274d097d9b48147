import Foundation
import PortholeKube

/// Masks secrets before anything leaves porthole (transcripts, JSON output, logs), and says what it
/// masked: `<masked: token>`. Applied to text by pattern and to JSON by key and by Secret kind.
public struct Redactor: Sendable {
    /// Values already known to be secret, masked wherever they appear (see `KnownSecrets`).
    let known: KnownSecrets

    public init(known: KnownSecrets = .shared) { self.known = known }

    /// Text rules, in order: (pattern, replacement template). Group 1 is kept, the secret is replaced.
    /// `(?!<masked)` keeps them idempotent: text masked once (a JSON document, an error) passes through again unchanged.
    static let textRules: [(NSRegularExpression, String)] = [
        (#"(?i)(authorization\s*[:=]\s*)(?!\s*<masked)[^\r\n]+"#, "$1<masked: authorization header>"),
        (#"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"#, "$1<masked: token>"),
        (#"([a-zA-Z][a-zA-Z0-9+.-]*://)(?!<masked)[^/\s:@]+:[^/\s@]+@"#, "$1<masked: credentials>@"),
        (#"(?i)((?:client-key-data|client-certificate-data|token|id-token|refresh-token|access-token)\s*:\s*)(?!\s*["']?<masked)["']?[^\s"',}]{4,}["']?"#,
         "$1<masked: credential>"),
        (#"(?i)("(?:client-key-data|client-certificate-data|token|id-token|refresh-token|access-token)"\s*:\s*)"(?!<masked)[^"]*""#,
         "$1\"<masked: credential>\""),
        (#"(?i)(--(?:token|password|client-key)=)(?!<masked)\S+"#, "$1<masked: credential>"),
        // ingress-nginx's `auth-secret` / `auth-tls-secret` annotations name a Secret; a name is not a secret.
        (#"(?i)((?<!auth-)(?<!auth-tls-)(?:password|passwd|secret)\s*[:=]\s*)(?!\s*["']?<masked)["']?[^\s"',}&]+["']?"#, "$1<masked: password>"),
        (#"(?i)("(?:password|passwd)"\s*:\s*)"(?!<masked)[^"]*""#, "$1\"<masked: password>\""),
        (#"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"#, "<masked: private key>"),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    /// Keys whose values are always secret, whatever they hold.
    static let secretKeys: [String: String] = [
        "authorization": "authorization header", "password": "password", "passwd": "password", "token": "token",
        "client-key-data": "credential", "client-certificate-data": "credential", "id-token": "token",
        "refresh-token": "token", "access-token": "token",
    ]

    public func redact(_ text: String) -> String {
        var out = text
        for (value, what) in known.all where out.contains(value) {
            out = out.replacingOccurrences(of: value, with: "<masked: \(what)>")
        }
        for (re, template) in Self.textRules {
            out = re.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: template)
        }
        return out
    }

    public func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(redact(s))
        case .array(let a): return .array(a.map(redact))
        case .object(let o):
            let isSecret = o["kind"]?.stringValue == "Secret"
            var out: [String: JSONValue] = [:]
            for (k, v) in o {
                if v.stringValue != nil, KnownSecrets.isSecretName(k) {
                    out[k] = .string("<masked: \(Self.secretKeys[k.lowercased()] ?? "password")>")
                } else if isSecret, k == "data" || k == "stringData", let fields = v.objectValue {
                    out[k] = .object(fields.mapValues { _ in .string("<masked: secret data>") })
                } else {
                    out[k] = redact(v)
                }
            }
            return .object(out)
        default: return value
        }
    }

    /// The session with every text and document masked.
    public func redact(_ session: Session) -> Session {
        for (name, value) in session.inputs where KnownSecrets.isSecretName(name) { known.learn(value, as: "secret input") }
        for (name, value) in session.variables where KnownSecrets.isSecretName(name) { known.learn(value, as: "secret input") }
        for step in session.steps { for p in step.probes { known.learn(from: p.document) } }
        var s = session
        s.cluster.server = s.cluster.server.map(redact)
        if let o = s.outcome { s.outcome?.summary = redact(o.summary) }
        s.inputs = s.inputs.mapValues(redact)
        s.variables = s.variables.mapValues(redact)
        s.steps = s.steps.map { step in
            var st = step
            st.probes = st.probes.map(redact)
            st.captures = st.captures.mapValues(redact)
            if let m = st.verdict?.message { st.verdict?.message = redact(m) }
            st.fixes = st.fixes.map { f in
                var x = f
                x.command = x.command?.map(redact)
                x.manifest = x.manifest.map(redact)
                x.output = x.output.map(redact)
                x.undo = x.undo.map(redact)
                if let probes = x.verify?.probes { x.verify?.probes = probes.map(redact) }
                return x
            }
            return st
        }
        s.pendingUndos = s.pendingUndos.map { PendingUndo(journalID: $0.journalID, summary: redact($0.summary), commands: $0.commands.map(redact)) }
        return s
    }

    public func redact(_ r: ProbeRecord) -> ProbeRecord {
        var x = r
        x.command = x.command?.map(redact)
        x.target = redact(x.target)
        x.output = redact(x.output)
        x.document = redact(x.document)
        return x
    }
}
