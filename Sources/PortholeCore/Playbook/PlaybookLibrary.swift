import Foundation

/// Finds the shipped playbooks: `$PORTHOLE_PLAYBOOKS`, then `<executable dir>/../share/porthole/playbooks`,
/// then the source tree's `playbooks/` (so a fresh checkout works without installing).
public struct PlaybookLibrary: Sendable {
    /// The approaches porthole ships; `next.playbook` may name these.
    public static let shippedIDs: Set<String> = [
        "port-forward", "ingressgateway-port", "istio-gateway", "loadbalancer-metallb", "nginx-ingress", "nodeport", "gateway-api",
    ]

    /// The first directory of the search order that exists.
    public let directory: String?
    let files: FileSystem
    let findings: FindingCatalogLookup

    public init(environment: [String: String], files: FileSystem, findings: FindingCatalogLookup = CodeFormatCatalog(),
                executablePath: String = CommandLine.arguments.first ?? "") {
        self.files = files
        self.findings = findings
        directory = Self.searchOrder(environment: environment, executablePath: executablePath).first { files.exists($0) }
    }

    /// Candidate directories, in order.
    public static func searchOrder(environment: [String: String], executablePath: String, sourceFile: String = #filePath) -> [String] {
        var out: [String] = []
        if let d = environment["PORTHOLE_PLAYBOOKS"], !d.isEmpty { out.append(d) }
        let exe = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        out.append(exe.appendingPathComponent("../share/porthole/playbooks").standardized.path)
        // Sources/PortholeCore/Playbook/PlaybookLibrary.swift -> repository root.
        let root = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        out.append(root.appendingPathComponent("playbooks").path)
        return out
    }

    /// Playbook files in the library directory, sorted.
    public var paths: [String] {
        guard let d = directory else { return [] }
        return files.list(d).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { "\(d)/\($0)" }
    }

    /// The loader this library validates with (knowing the shipped ids and the library's own).
    public var loader: PlaybookLoader {
        let ids = Set(paths.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent })
        return PlaybookLoader(knownPlaybooks: Self.shippedIDs.union(ids), findings: findings)
    }

    /// Loads every playbook of the library, in parallel (parsing is most of porthole's start-up); the first
    /// broken one, in path order, throws.
    public func all() throws -> [Playbook] {
        let paths = self.paths, loader = self.loader, files = self.files
        let results = LoadResults(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            results.set(i, Result { try loader.load(path: paths[i], files: files) })
        }
        return try results.all.map { try $0!.get() }
    }

    /// One slot per playbook, filled from several threads.
    private final class LoadResults: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result<Playbook, Error>?]
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: Result<Playbook, Error>) { lock.lock(); slots[i] = r; lock.unlock() }
        var all: [Result<Playbook, Error>?] { lock.lock(); defer { lock.unlock() }; return slots }
    }

    /// A playbook by id (`istio-gateway`) or by file path (anything with a `/` or a `.yaml` suffix).
    public func load(_ idOrPath: String) throws -> Playbook {
        if idOrPath.contains("/") || idOrPath.hasSuffix(".yaml") || idOrPath.hasSuffix(".yml") {
            guard files.exists(idOrPath) else { throw PlaybookError.notFound(idOrPath, known: Self.shippedIDs.sorted()) }
            return try loader.load(path: idOrPath, files: files)
        }
        for p in paths where URL(fileURLWithPath: p).deletingPathExtension().lastPathComponent == idOrPath {
            return try loader.load(path: p, files: files)
        }
        for p in paths {
            if let pb = try? loader.load(path: p, files: files), pb.id == idOrPath { return pb }
        }
        throw PlaybookError.notFound(idOrPath, known: paths.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent })
    }
}
