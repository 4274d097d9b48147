import Foundation
import PortholeCore

/// A clock whose `sleep` advances time at once and records how long each sleep asked for.
public final class FakeClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var slept: [Double] = []

    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }

    public var now: Date { lock.lock(); defer { lock.unlock() }; return current }
    public var sleeps: [Double] { lock.lock(); defer { lock.unlock() }; return slept }

    public func sleep(seconds: Double) async {
        lock.withLock {
            slept.append(seconds)
            current = current.addingTimeInterval(seconds)
        }
    }

    /// Moves time forward without a sleep (a slow probe).
    public func advance(_ seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        current = current.addingTimeInterval(seconds)
    }
}
