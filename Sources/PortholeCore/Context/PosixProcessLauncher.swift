import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts detached processes with posix_spawn (never a shell) and stops them by pid *and* start time.
///
/// The child gets its own session (POSIX_SPAWN_SETSID): a terminal's Ctrl-C goes to porthole's
/// process group, not to it, and porthole's exit leaves it running. Every signal is reset to its default
/// and the signal mask emptied: porthole runs with SIGINT/SIGTERM ignored (`InterruptGuard`) and ignored
/// dispositions survive exec, so without the reset the tunnel could never be stopped with SIGTERM. Every
/// descriptor above 2 is closed: an inherited flock (`ContextLock`), pipe or listening socket would outlive
/// porthole in the tunnel.
public struct PosixProcessLauncher: ProcessLauncher {
    /// Seconds between SIGTERM and SIGKILL.
    public var grace: Double

    public init(grace: Double = 2) { self.grace = grace }

    public func spawnDetached(_ command: DetachedCommand) throws -> ProcessHandle {
        guard let program = command.argv.first else { throw CommandError.launchFailed(program: "", detail: "empty argv") }
        var environment = ProcessInfo.processInfo.environment
        environment.merge(command.environment) { _, new in new }
        environment[DetachedCommand.tagVariable] = command.tag
        guard let path = ProcessCommandRunner.locate(program, environment: environment) else { throw CommandError.notFound(program: program) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, command.logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        try Self.closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var everySignal = sigset_t(), noSignal = sigset_t()
        sigfillset(&everySignal)
        sigemptyset(&noSignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setsigmask(&attributes, &noSignal)
        let flags = Int16(Self.setsid | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if posix_spawnattr_setflags(&attributes, flags) != 0 {
            throw CommandError.launchFailed(program: program, detail: "this C library cannot start a process in its own session")
        }

        let argv = command.argv.map { strdup($0) } + [nil]
        let envp = environment.keys.sorted().map { strdup("\($0)=\(environment[$0]!)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw CommandError.launchFailed(program: program, detail: String(cString: strerror(rc))) }
        // Our child cannot vanish from /proc before we reap it, so its start time is always there to read.
        guard let stat = ProcTable.stat(pid) else {
            throw CommandError.launchFailed(program: program, detail: "pid \(pid) has no /proc entry right after it started")
        }
        return ProcessHandle(pid: pid, startTime: stat.startTime, tag: command.tag)
    }

    public func isRunning(_ handle: ProcessHandle) throws -> Bool { !Self.members(handle).isEmpty }

    public func stop(_ handle: ProcessHandle) async throws -> StopResult {
        let grace = self.grace
        return await offloaded { Self.stopBlocking(handle, grace: grace) }
    }

    public func find(tag: String) throws -> [ProcessHandle] {
        let entry = "\(DetachedCommand.tagVariable)=\(tag)"
        return ProcTable.pids().compactMap { pid in
            guard let s = ProcTable.stat(pid), !s.isZombie, ProcTable.environment(pid).contains(entry) else { return nil }
            return ProcessHandle(pid: pid, startTime: s.startTime, tag: tag)
        }.sorted { $0.pid < $1.pid }
    }

    // MARK: - Identity and signals

    /// glibc's POSIX_SPAWN_SETSID (since 2.26); Swift's Glibc module does not export the GNU-only macro.
    static let setsid: Int32 = 0x80

    /// The living processes that are this handle's: the leader when its start time matches, else whatever
    /// still carries its tag in its session (a child the leader forked before it exited).
    static func members(_ handle: ProcessHandle) -> [ProcessHandle] {
        reapIfOurs(handle)
        if let s = ProcTable.stat(handle.pid), s.startTime == handle.startTime, !s.isZombie { return [handle] }
        let tagged = (try? PosixProcessLauncher().find(tag: handle.tag)) ?? []
        return tagged.filter { ProcTable.stat($0.pid)?.session == handle.pid }
    }

    static func stopBlocking(_ handle: ProcessHandle, grace: Double) -> StopResult {
        guard send(SIGTERM, to: handle) else { return .alreadyGone }
        if waitGone(handle, seconds: grace) { return .stopped(signal: SIGTERM) }
        _ = send(SIGKILL, to: handle)
        _ = waitGone(handle, seconds: 2)
        return .stopped(signal: SIGKILL)
    }

    /// Signals the leader's whole process group when the leader is the one started (its group id is its
    /// pid, and no other group can have that id while it lives), else each tagged survivor; false when
    /// nothing was there to signal.
    static func send(_ sig: Int32, to handle: ProcessHandle) -> Bool {
        let alive = members(handle)
        guard !alive.isEmpty else { return false }
        if alive == [handle] { return killpg(handle.pid, sig) == 0 || kill(handle.pid, sig) == 0 }
        for m in alive { _ = kill(m.pid, sig) }
        return true
    }

    static func waitGone(_ handle: ProcessHandle, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if members(handle).isEmpty { return true }
            usleep(20_000)
        }
        return members(handle).isEmpty
    }

    /// Collects the exit of a child of this porthole that ended, so it does not linger as a zombie.
    /// Only when pid and start time match: a recycled pid may be another command's child that Foundation waits for.
    static func reapIfOurs(_ handle: ProcessHandle) {
        guard let s = ProcTable.stat(handle.pid), s.startTime == handle.startTime, s.isZombie,
              s.parent == getpid() else { return }
        var status: Int32 = 0
        _ = waitpid(handle.pid, &status, WNOHANG)
    }

    // MARK: - Descriptors

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+, looked up at run time since Swift's Glibc module
    /// hides GNU extensions); else one close action for each descriptor above 2 open now.
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) throws {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        for fd in ProcTable.openDescriptors(getpid()) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }
}
