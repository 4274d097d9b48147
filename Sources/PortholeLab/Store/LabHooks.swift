import Foundation
import PortholeKube
import PortholeNet

/// An admission rejection, rendered by the API as a Kubernetes `Status` (422 Invalid by default).
public struct AdmissionError: Error, Sendable {
    /// HTTP code: 422 Invalid, 409 Conflict, 403 Forbidden (webhook denial)...
    public var code: Int
    /// Status reason: `Invalid`, `AlreadyExists`, `Forbidden`, `BadRequest`.
    public var reason: String
    /// The whole message kubectl prints after "Error from server (...): ".
    public var message: String
    /// Field causes for 422 (`spec.ports[0].nodePort`), optional.
    public var causes: [(field: String, message: String)]

    public init(code: Int = 422, reason: String = "Invalid", message: String, causes: [(field: String, message: String)] = []) {
        self.code = code; self.reason = reason; self.message = message; self.causes = causes
    }
}

/// What the API server asks admission about.
public enum AdmissionOperation: String, Sendable { case create = "CREATE", update = "UPDATE", delete = "DELETE" }

/// A mutating/validating admission step (sidecar injector, Istio's validation webhook, MetalLB's webhook,
/// nodePort allocation...). Runs in the API server before an object is stored; dry runs run it too.
public protocol AdmissionPlugin: Sendable {
    /// Returns the object to store (possibly mutated), or throws to reject. `old` is nil on create.
    func admit(_ op: AdmissionOperation, ref: ObjectRef, object: JSONValue, old: JSONValue?, store: ObjectStore) throws -> JSONValue
}

/// How the API server's port-forward reaches a pod's port: implemented by the simulation,
/// which knows which backend (real Prometheus, stand-in, nothing) answers there.
public protocol PodNetwork: Sendable {
    /// Opens a TCP connection to `port` of the pod, or throws (refused when nothing listens).
    func connect(namespace: String, pod: String, port: Int) throws -> TCPConnection
}
