import Foundation

/// Finds a scenario file by name: `$PORTHOLE_SCENARIOS`, then `<executable dir>/../share/porthole/scenarios`,
/// then the source tree's `scenarios/`. A value that contains `/` or ends in `.yaml` is a path.
enum ScenarioLocator {
    static func directories() -> [String] {
        var dirs: [String] = []
        if let env = ProcessInfo.processInfo.environment["PORTHOLE_SCENARIOS"], !env.isEmpty { dirs.append(env) }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        dirs.append(exe.appendingPathComponent("../share/porthole/scenarios").standardized.path)
        // Sources/PortholeLab/Scenario/ScenarioLocator.swift -> repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        dirs.append(root.appendingPathComponent("scenarios").path)
        return dirs
    }

    static func locate(_ nameOrPath: String) throws -> String {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            guard FileManager.default.fileExists(atPath: nameOrPath) else { throw ScenarioError.notFound(name: nameOrPath, searched: [nameOrPath]) }
            return nameOrPath
        }
        let dirs = directories()
        for d in dirs {
            let p = "\(d)/\(nameOrPath).yaml"
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        throw ScenarioError.notFound(name: nameOrPath, searched: dirs)
    }
}
