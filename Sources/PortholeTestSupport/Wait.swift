import Foundation

/// Polling until a condition holds, for tests that wait on another process or thread.
public enum Wait {
    /// Polls `condition` every `interval` seconds until it holds or `timeout` seconds have passed, then looks
    /// once more: a waiter starved on a loaded machine can wake past its deadline after the condition came true.
    public static func until(timeout: Double, interval: Double = 0.05, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: interval)
        }
        return condition()
    }

    /// `until` for async tests: sleeps without holding a thread of the cooperative pool.
    public static func until(timeout: Double, interval: Double = 0.05, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
        }
        return condition()
    }
}
