import Foundation
import PortholeCore

/// Finds the findings' doc pages (`docs/findings/PHxxxx.md`): `$PORTHOLE_DOCS`, then
/// `<executable dir>/../share/porthole/docs`, then the source tree.
enum DocPages {
    static func read(_ relative: String, environment: [String: String], files: FileSystem,
                     executablePath: String = CommandLine.arguments.first ?? "", sourceFile: String = #filePath) -> String? {
        let inDocs = relative.hasPrefix("docs/") ? String(relative.dropFirst(5)) : relative
        var roots: [String] = []
        if let d = environment["PORTHOLE_DOCS"], !d.isEmpty { roots.append(d) }
        let exe = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        roots.append(exe.appendingPathComponent("../share/porthole/docs").standardized.path)
        // Sources/PortholeREPL/Cluster/DocPages.swift -> repository root.
        let root = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        roots.append(root.appendingPathComponent("docs").path)
        for r in roots where files.exists("\(r)/\(inDocs)") {
            if let data = try? files.read("\(r)/\(inDocs)") { return String(decoding: data, as: UTF8.self) }
        }
        return nil
    }
}
