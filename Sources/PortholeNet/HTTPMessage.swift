import Foundation

/// HTTP header fields in order, with case-insensitive lookup.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(String, String)] = []) { self.fields = fields.map { (name: $0.0, value: $0.1) } }

    public subscript(name: String) -> String? {
        let n = name.lowercased()
        return fields.first { $0.name.lowercased() == n }?.value
    }

    public mutating func add(_ name: String, _ value: String) { fields.append((name: name, value: value)) }

    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    public mutating func remove(_ name: String) {
        let n = name.lowercased()
        fields.removeAll { $0.name.lowercased() == n }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.fields.map { "\($0.name.lowercased()):\($0.value)" } == b.fields.map { "\($0.name.lowercased()):\($0.value)" }
    }
}

/// A parsed HTTP/1.1 request.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request target as sent: path and query.
    public var target: String
    public var version: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String, target: String, version: String = "HTTP/1.1", headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method; self.target = target; self.version = version; self.headers = headers; self.body = body
    }

    /// The path without the query.
    public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }

    /// Query parameters, percent-decoded; repeated keys keep every value.
    public var query: [(String, String)] {
        guard let q = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return q.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1)
            let k = String(kv[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[0])
            let v = kv.count > 1 ? (String(kv[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[1])) : ""
            return (k, v)
        }
    }

    public func queryValue(_ key: String) -> String? { query.first { $0.0 == key }?.1 }

    /// The request as bytes on the wire (adds Content-Length when a body is present and none is set).
    public func serialized() -> [UInt8] {
        var h = headers
        if !body.isEmpty, h["Content-Length"] == nil, h["Transfer-Encoding"] == nil { h.add("Content-Length", String(body.count)) }
        var s = "\(method) \(target) \(version)\r\n"
        for f in h { s += "\(f.name): \(f.value)\r\n" }
        s += "\r\n"
        return Array(s.utf8) + body
    }
}

/// An HTTP/1.1 response, as sent by a server or received by a client.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var reason: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, reason: String? = nil, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.reason = reason ?? HTTPResponse.reasonPhrase(status)
        self.headers = headers
        self.body = body
    }

    public init(status: Int, contentType: String, body: String, headers: [(String, String)] = []) {
        var h = HTTPHeaders(headers)
        h.set("Content-Type", contentType)
        self.init(status: status, headers: h, body: Array(body.utf8))
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The response as bytes on the wire, with Content-Length set from the body.
    public func serialized() -> [UInt8] {
        var h = headers
        h.remove("Content-Length")
        h.remove("Transfer-Encoding")
        h.add("Content-Length", String(body.count))
        var s = "HTTP/1.1 \(status) \(reason)\r\n"
        for f in h { s += "\(f.name): \(f.value)\r\n" }
        s += "\r\n"
        return Array(s.utf8) + body
    }

    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 409: return "Conflict"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status \(status)"
        }
    }
}

/// Why bytes on a connection are not a usable HTTP message.
public enum HTTPParseError: Error, Equatable, Sendable {
    case malformed(String)
    case tooLarge
}
