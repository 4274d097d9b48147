import Foundation
import Testing
@testable import PortholeCore

/// `inputs: {x: {format: cidr|port}}`: values that do not fit are refused where they are given, defaults at load.
@Suite struct InputFormatTests {
    @Test(arguments: ["198.51.100.7/32", "10.0.0.0/8", "0.0.0.0/0", "2001:db8::/64", ""])
    func cidrsThatFit(_ value: String) { #expect(InputFormat.cidr.problem(with: value) == nil) }

    @Test(arguments: ["not-a-cidr", "198.51.100.7", "999.1.1.1/32", "10.0.0.0/33", "10.0.0.0/8; rm -rf /", "10.0.0.0/8\n", "1.2.3.4/ 8", "2001:db8::/129"])
    func cidrsThatDoNot(_ value: String) { #expect(InputFormat.cidr.problem(with: value) != nil) }

    @Test func ports() {
        #expect(InputFormat.port.problem(with: "9090") == nil)
        #expect(InputFormat.port.problem(with: "") == nil)
        for bad in ["0", "65536", "http", "90 90", "-1"] { #expect(InputFormat.port.problem(with: bad) != nil, "\(bad)") }
    }

    let loader = PlaybookLoader(knownPlaybooks: [])

    func errors(_ text: String) -> [String] {
        loader.validate(text: text, file: "pb.yaml").map(\.description)
    }

    @Test func anUnknownFormatIsALoadErrorNamingIt() {
        let text = validPlaybook.replacingOccurrences(of: #"port: {default: "9090"}"#, with: #"port: {default: "9090", format: number}"#)
        #expect(errors(text).contains { $0.hasPrefix("pb.yaml:5:") && $0.contains("inputs.port.format") && $0.contains("not `number`") }, "\(errors(text))")
    }

    @Test func aDefaultThatDoesNotFitIsALoadError() {
        let text = validPlaybook.replacingOccurrences(of: #"port: {default: "9090"}"#, with: #"port: {default: "http", format: port}"#)
        #expect(errors(text).contains { $0.hasPrefix("pb.yaml:5:") && $0.contains("does not fit format port") }, "\(errors(text))")
    }

    @Test func aVarThatDoesNotFitIsAUsageError() throws {
        let text = validPlaybook.replacingOccurrences(of: #"port: {default: "9090"}"#, with: #"port: {default: "9090", format: port}"#)
        let playbook = try loader.load(text: text, file: "pb.yaml")
        #expect(throws: UsageError.self) { try RunPlaybook.parseVariables(["port=http"], playbook: playbook) }
        #expect(try RunPlaybook.parseVariables(["port=9091"], playbook: playbook) == ["port": "9091"])
    }
}
