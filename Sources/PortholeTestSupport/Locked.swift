import Foundation

/// A value shared with `@Sendable` closures and threads, behind a lock.
public final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    public init(_ value: T) { stored = value }
    public var value: T { lock.withLock { stored } }
    public func set(_ value: T) { lock.withLock { stored = value } }
    public func mutate(_ change: (inout T) -> Void) { lock.withLock { change(&stored) } }
}
