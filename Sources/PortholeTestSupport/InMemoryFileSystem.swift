import Foundation
import PortholeCore

/// Files in a dictionary: for journal and transcript tests that need no disk.
public final class InMemoryFileSystem: FileSystem, @unchecked Sendable {
    private let lock = NSLock()
    private var files: [String: Data]
    public init(_ files: [String: String] = [:]) { self.files = files.mapValues { Data($0.utf8) } }

    public func text(_ path: String) -> String? {
        lock.lock(); defer { lock.unlock() }
        return files[path].map { String(decoding: $0, as: UTF8.self) }
    }
    public func read(_ path: String) throws -> Data {
        lock.lock(); defer { lock.unlock() }
        guard let d = files[path] else { throw FileSystemError.unreadable(path: path, detail: "no such file") }
        return d
    }
    public func write(_ path: String, _ data: Data) throws { lock.lock(); files[path] = data; lock.unlock() }
    public func append(_ path: String, _ data: Data) throws { lock.lock(); files[path, default: Data()].append(data); lock.unlock() }
    public func rename(_ from: String, to: String) throws {
        lock.lock(); defer { lock.unlock() }
        guard let d = files.removeValue(forKey: from) else { throw FileSystemError.unwritable(path: from, detail: "no such file") }
        files[to] = d
    }
    public func exists(_ path: String) -> Bool { lock.lock(); defer { lock.unlock() }; return files[path] != nil }
    public func list(_ directory: String) -> [String] {
        lock.lock(); defer { lock.unlock() }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return files.keys.filter { $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains("/") }
            .map { String($0.dropFirst(prefix.count)) }.sorted()
    }
    public func createDirectory(_ path: String) throws {}
}
