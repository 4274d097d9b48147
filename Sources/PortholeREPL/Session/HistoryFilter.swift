import Foundation
import PortholeCore

/// Which typed lines go to the history file: none that carries a secret (a `set` of a secret-named
/// variable, or anything the Redactor would mask), since the file outlives the session in plain text.
enum HistoryFilter {
    static func keeps(_ line: String) -> Bool {
        if case .set(let key, _) = ReplCommand.parse(line), KnownSecrets.isSecretName(key) { return false }
        return Redactor().redact(line) == line
    }
}
