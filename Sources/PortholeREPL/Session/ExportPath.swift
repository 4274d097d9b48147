import Foundation

/// Where `export PATH` writes. `~` is the operator's `HOME` (Foundation would take the password
/// database's home and ignore `HOME`); other paths are taken as typed, relative to the working directory.
enum ExportPath {
    static func resolve(_ typed: String, environment: [String: String]) -> String {
        guard let home = environment["HOME"], !home.isEmpty else { return typed }
        if typed == "~" { return home }
        if typed.hasPrefix("~/") { return (home as NSString).appendingPathComponent(String(typed.dropFirst(2))) }
        return typed
    }
}
