import Foundation
import PortholeKube
import PortholeNet

/// An API failure rendered as a Kubernetes `Status` body, so kubectl prints it as it would a real server's
/// (`Error from server (NotFound): services "x" not found`, `The Service "x" is invalid: ...`).
struct APIError: Error, Sendable {
    var code: Int
    var reason: String
    var message: String
    var details: JSONValue? = nil

    static func notFound(_ r: APIResource, _ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(r.plural)\(r.group.isEmpty ? "" : "." + r.group) \"\(name)\" not found",
                 details: ["name": .string(name), "group": .string(r.group), "kind": .string(r.plural)])
    }

    static func namespaceNotFound(_ ns: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "namespaces \"\(ns)\" not found", details: ["name": .string(ns), "kind": "namespaces"])
    }

    static func alreadyExists(_ r: APIResource, _ name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(r.plural)\(r.group.isEmpty ? "" : "." + r.group) \"\(name)\" already exists",
                 details: ["name": .string(name), "group": .string(r.group), "kind": .string(r.plural)])
    }

    static func conflict(_ r: APIResource, _ name: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(r.plural)\(r.group.isEmpty ? "" : "." + r.group) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                 details: ["name": .string(name), "group": .string(r.group), "kind": .string(r.plural)])
    }

    /// 409 from server-side apply: fields another manager set to other values (the apiserver's wording).
    static func applyConflict(_ conflicts: [(manager: String, path: String)], apiVersion: String) -> APIError {
        let who = { (m: String) in "\"\(m)\" using \(apiVersion)" }
        let text: String
        if conflicts.count == 1 {
            text = "Apply failed with 1 conflict: conflict with \(who(conflicts[0].manager)): \(conflicts[0].path)"
        } else {
            var lines: [String] = []
            for m in Set(conflicts.map(\.manager)).sorted() {
                lines.append("conflicts with \(who(m)):")
                lines += conflicts.filter { $0.manager == m }.map { "- \($0.path)" }
            }
            text = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        }
        let causes: [JSONValue] = conflicts.map {
            ["reason": "FieldManagerConflict", "message": .string("conflict with \(who($0.manager))"), "field": .string($0.path)]
        }
        return APIError(code: 409, reason: "Conflict", message: text, details: ["causes": .array(causes)])
    }

    static func badRequest(_ message: String) -> APIError { APIError(code: 400, reason: "BadRequest", message: message) }

    static func unsupportedMediaType(_ message: String) -> APIError { APIError(code: 415, reason: "UnsupportedMediaType", message: message) }

    static func methodNotAllowed(_ message: String) -> APIError { APIError(code: 405, reason: "MethodNotAllowed", message: message) }

    static func pathNotFound() -> APIError { APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource") }

    /// 422 with field causes: "The Service \"x\" is invalid: spec.ports[0].nodePort: Invalid value: ...".
    static func invalid(kind: String, group: String, name: String, causes: [(field: String, message: String)]) -> APIError {
        let text = causes.map { "\($0.field): \($0.message)" }
        let joined = text.count == 1 ? text[0] : "[" + text.joined(separator: ", ") + "]"
        let causeValues: [JSONValue] = causes.map { ["reason": "FieldValueInvalid", "message": .string($0.message), "field": .string($0.field)] }
        return APIError(code: 422, reason: "Invalid", message: "\(kind) \"\(name)\" is invalid: \(joined)",
                        details: ["name": .string(name), "group": .string(group), "kind": .string(kind), "causes": .array(causeValues)])
    }

    /// An admission plugin's rejection, as the simulation raised it.
    init(_ e: AdmissionError) {
        code = e.code; reason = e.reason; message = e.message
        if !e.causes.isEmpty {
            details = ["causes": .array(e.causes.map { ["reason": "FieldValueInvalid", "message": .string($0.message), "field": .string($0.field)] })]
        }
    }

    init(code: Int, reason: String, message: String, details: JSONValue? = nil) {
        self.code = code; self.reason = reason; self.message = message; self.details = details
    }

    var statusObject: JSONValue {
        var o: JSONValue = ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                            "message": .string(message), "reason": .string(reason), "code": .int(code)]
        if let d = details { o["details"] = d }
        return o
    }

    var response: HTTPResponse { APIResponse.json(statusObject, status: code) }
}

/// JSON responses as the API server sends them.
enum APIResponse {
    static func json(_ value: JSONValue, status: Int = 200) -> HTTPResponse {
        var h = HTTPHeaders()
        h.set("Content-Type", "application/json")
        h.set("Cache-Control", "no-cache, private")
        return HTTPResponse(status: status, headers: h, body: [UInt8](value.jsonData()))
    }

    /// A success `Status` (what DELETE of a collection or some deletes return).
    static func success(details: JSONValue) -> JSONValue {
        ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "details": details]
    }
}
