import Foundation
import Logging

/// A log handler that masks every message and metadata value before the wrapped handler writes it:
/// `--verbose` logs show kubectl's argument arrays, which can carry a token or a password.
public struct RedactingLogHandler: LogHandler {
    private var wrapped: LogHandler
    private let redactor: Redactor

    public init(wrapping handler: LogHandler, redactor: Redactor = Redactor()) {
        self.wrapped = handler
        self.redactor = redactor
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var masked = event
        masked.message = "\(redactor.redact(event.message.description))"
        masked.metadata = event.metadata?.mapValues { Logger.MetadataValue.string(redactor.redact($0.description)) }
        wrapped.log(event: masked)
    }
}
