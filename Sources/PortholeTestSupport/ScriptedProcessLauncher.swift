import Foundation
import PortholeCore

/// Why `ScriptedProcessLauncher` refused a call.
public enum ScriptedProcessError: Error, Equatable, Sendable {
    /// A spawn of an argv nobody scripted, or a question about a process it never started.
    case unexpected(String)
}

/// A process launcher that starts nothing: it answers only the argv a test scripted with `expectSpawn`, and
/// throws `ScriptedProcessError.unexpected` for any other spawn, and for `isRunning`/`stop` of a handle it
/// never returned (fail loudly, never guess). Each handle's life is scripted with `exit(_:)`.
public final class ScriptedProcessLauncher: ProcessLauncher, @unchecked Sendable {
    private let lock = NSLock()
    private var expected: [(argv: [String], handle: ProcessHandle?, error: CommandError?)] = []
    private var running: [ProcessHandle: Bool] = [:]
    private var log: [DetachedCommand] = []
    private var stops: [ProcessHandle] = []
    private var tagged: [String: [ProcessHandle]] = [:]

    /// Called after each scripted spawn succeeds, e.g. to write what the process would log, or to open the
    /// listener a real tunnel would open.
    public var onSpawn: (@Sendable (DetachedCommand, ProcessHandle) -> Void)?

    public init() {}

    /// The next spawn of exactly `argv` succeeds with pid `pid` (start time 1000 + pid) and is running.
    public func expectSpawn(_ argv: [String], pid: Int32) {
        lock.withLock { expected.append((argv, ProcessHandle(pid: pid, startTime: 1000 + UInt64(pid), tag: ""), nil)) }
    }

    /// The next spawn of exactly `argv` throws `error`.
    public func expectSpawn(_ argv: [String], failing error: CommandError) {
        lock.withLock { expected.append((argv, nil, error)) }
    }

    /// The process exits by itself (port in use, pod gone): `isRunning` says false from now on.
    public func exit(_ pid: Int32) {
        lock.withLock { for h in running.keys where h.pid == pid { running[h] = false } }
    }

    /// `find(tag:)` answers `handles` for `tag` (a process that survived a porthole killed mid-start).
    public func expectFind(tag: String, _ handles: [ProcessHandle]) {
        lock.withLock {
            tagged[tag] = handles
            for h in handles { running[h] = true }
        }
    }

    /// Every spawn so far, in order.
    public var spawned: [DetachedCommand] { lock.withLock { log } }
    /// Every handle `stop` was called with, in order.
    public var stopped: [ProcessHandle] { lock.withLock { stops } }

    public func spawnDetached(_ command: DetachedCommand) throws -> ProcessHandle {
        let h = try scriptedSpawn(command)
        onSpawn?(command, h)
        return h
    }

    private func scriptedSpawn(_ command: DetachedCommand) throws -> ProcessHandle {
        try lock.withLock {
            log.append(command)
            guard let i = expected.firstIndex(where: { $0.argv == command.argv }) else {
                throw ScriptedProcessError.unexpected("spawn \(command.argv)")
            }
            let e = expected.remove(at: i)
            if let error = e.error { throw error }
            var h = e.handle!
            h.tag = command.tag
            running[h] = true
            return h
        }
    }

    public func isRunning(_ handle: ProcessHandle) throws -> Bool {
        try lock.withLock {
            guard let r = running[handle] else { throw ScriptedProcessError.unexpected("isRunning of pid \(handle.pid), never started here") }
            return r
        }
    }

    public func stop(_ handle: ProcessHandle) async throws -> StopResult {
        try lock.withLock {
            guard let r = running[handle] else { throw ScriptedProcessError.unexpected("stop of pid \(handle.pid), never started here") }
            stops.append(handle)
            running[handle] = false
            return r ? .stopped(signal: SIGTERM) : .alreadyGone
        }
    }

    public func find(tag: String) throws -> [ProcessHandle] {
        try lock.withLock {
            guard let found = tagged[tag] else { throw ScriptedProcessError.unexpected("find(tag: \(tag)), not scripted") }
            return found.filter { running[$0] == true }
        }
    }
}
