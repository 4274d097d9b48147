import Foundation
import PortholeKube
import PortholeNet

/// Request bodies to JSON values, by Content-Type: JSON, YAML (apply patches) or Kubernetes protobuf.
enum BodyDecoder {
    static func decode(_ req: HTTPRequest) throws -> JSONValue {
        let ct = (req.headers["Content-Type"] ?? "application/json").lowercased()
        if ct.hasPrefix("application/vnd.kubernetes.protobuf") {
            return try KubeProtobuf.decode(req.body)
        }
        if req.body.isEmpty { throw APIError.badRequest("the request body is empty") }
        let text = String(decoding: req.body, as: UTF8.self)
        if ct.contains("yaml") {
            do { return try JSONValue.yaml(text) } catch { throw APIError.badRequest("error decoding YAML: \(error)") }
        }
        do {
            return try JSONValue.parse(Data(req.body))
        } catch {
            throw APIError.badRequest("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf")
        }
    }
}
