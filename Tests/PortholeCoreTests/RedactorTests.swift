import Foundation
import Testing
import PortholeKube
@testable import PortholeCore

@Suite struct RedactorTests {
    let r = Redactor()

    @Test(arguments: [
        ("Authorization: Bearer abcdefghijklmnop", "Authorization: <masked: authorization header>"),
        ("curl -H 'x' with Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig", "curl -H 'x' with Bearer <masked: token>"),
        ("http://admin:s3cret@127.0.0.1:9090/graph", "http://<masked: credentials>@127.0.0.1:9090/graph"),
        ("    client-key-data: LS0tLS1CRUdJTiBSU0E=", "    client-key-data: <masked: credential>"),
        ("    client-certificate-data: LS0tLS1CRUdJTg==", "    client-certificate-data: <masked: credential>"),
        ("    token: abcdef0123456789", "    token: <masked: credential>"),
        ("{\"token\": \"abc.def\"}", "{\"token\": \"<masked: credential>\"}"),
        ("kubectl --token=abcdef get pods", "kubectl --token=<masked: credential> get pods"),
        ("password=hunter2&user=a", "password=<masked: password>&user=a"),
        ("basic_auth: {username: a, password: hunter2}", "basic_auth: {username: a, password: <masked: password>}"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "<masked: private key>"),
        ("Prometheus Server is Ready.", "Prometheus Server is Ready."),
        ("port: 9090, nodePort: 31399", "port: 9090, nodePort: 31399"),
        ("client-secret: s3cr3t", "client-secret: <masked: password>"),
        // A Secret's name in ingress-nginx's annotations is not a secret.
        ("nginx.ingress.kubernetes.io/auth-secret=prometheus-basic-auth", "nginx.ingress.kubernetes.io/auth-secret=prometheus-basic-auth"),
        ("nginx.ingress.kubernetes.io/auth-tls-secret: ingress-nginx/ca", "nginx.ingress.kubernetes.io/auth-tls-secret: ingress-nginx/ca"),
    ])
    func masksText(input: String, expected: String) {
        #expect(r.redact(input) == expected)
    }

    @Test func masksSecretDataAndSecretKeysInDocuments() {
        let doc: JSONValue = ["items": [
            ["kind": "Secret", "metadata": ["name": "basic-auth"], "data": ["auth": "YWRtaW46JGFwcjE="], "type": "Opaque"],
            ["kind": "ConfigMap", "data": ["config": "address-pools: []"]],
            ["headers": ["authorization": "Basic YWRtaW46cGFzcw==", "server": "istio-envoy"]],
        ]]
        let masked = r.redact(doc)
        #expect(masked["items"]?[0]?["data"] == ["auth": "<masked: secret data>"])
        #expect(masked["items"]?[1]?["data"] == ["config": "address-pools: []"])
        #expect(masked["items"]?[2]?["headers"] == ["authorization": "<masked: authorization header>", "server": "istio-envoy"])
    }

    @Test(arguments: [
        "Authorization: Bearer abcdefghijklmnop", "http://admin:s3cret@127.0.0.1:9090/graph", "token: abcdefgh12",
        "{\"token\": \"abcdefgh\", \"password\": \"hunter22\"}", "--password=hunter22", "password: hunter22",
    ])
    func maskingTwiceChangesNothing(text: String) {
        let once = r.redact(text)
        #expect(once != text)
        #expect(r.redact(once) == once)
    }
}
