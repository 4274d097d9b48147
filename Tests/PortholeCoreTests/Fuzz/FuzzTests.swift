import Foundation
import Testing
import PortholeCore
import PortholeFindings
import PortholeKube

/// Fuzzing the two doors hostile bytes come in by: playbook files, and kubectl's JSON about the cluster.
/// Every input is derived from the seed (printed; `PORTHOLE_FUZZ_SEED=N` replays it, `PORTHOLE_FUZZ_COUNT=N` scales).
/// Properties: nothing crashes or hangs; every playbook error names FILE:LINE:COLUMN.
@Suite struct FuzzTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func yamlFiles(_ dir: String) throws -> [(name: String, text: String)] {
        let path = root.appendingPathComponent(dir).path
        return try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".yaml") }.sorted()
            .map { ($0, try String(contentsOfFile: "\(path)/\($0)", encoding: .utf8)) }
    }

    /// A single input slower than this is a hang.
    static let hangSeconds = 5.0

    @Test func playbookLoadingSurvivesMutatedPlaybooks() throws {
        let run = FuzzRun(defaultCount: 4000)
        print("fuzz playbooks: seed \(run.seed), \(run.count) inputs")
        let seeds = try Self.yamlFiles("playbooks").map { ($0.text, try JSONValue.yaml($0.text)) }
        #expect(seeds.count >= 7)
        var m = FuzzMutator(seed: run.seed)
        m.maxNesting = 400
        m.hugeString = 16_000
        let loader = PlaybookLoader()
        var loaded = 0, refused = 0
        var problems: [String] = []
        for i in 0..<run.count {
            let (text, value) = seeds[m.random.below(seeds.count)]
            let input: Data
            if m.random.chance(0.2) {
                // Block YAML as written, damaged byte-wise (indentation, quotes, UTF-8).
                input = Data(m.mutateBytes(Array(text.utf8)))
            } else {
                input = m.mutate(Self.smaller(value, &m.random))
            }
            let file = "fuzz-\(i).yaml"
            let start = Date()
            do {
                _ = try loader.load(text: String(decoding: input, as: UTF8.self), file: file)
                loaded += 1
            } catch let e as PlaybookError {
                refused += 1
                let text = e.description
                if e.location?.mark == nil || text.range(of: "^\(NSRegularExpression.escapedPattern(for: file)):[1-9][0-9]*:[1-9][0-9]*: error: ", options: .regularExpression) == nil {
                    problems.append("input \(i) (\(m.lastMutation)): error without FILE:LINE:COLUMN: \(text.prefix(300))")
                }
            } catch {
                problems.append("input \(i) (\(m.lastMutation)): not a PlaybookError: \(error)")
            }
            let took = Date().timeIntervalSince(start)
            if took > Self.hangSeconds { problems.append("input \(i) (\(m.lastMutation)): took \(took)s") }
        }
        print("fuzz playbooks: \(run.count) inputs, seed \(run.seed) (PORTHOLE_FUZZ_SEED=\(run.seed) replays): \(loaded) loaded, \(refused) refused with a location")
        let problemCount = problems.count
        #expect(problemCount == 0, "seed \(run.seed): \(problems.prefix(5).map { String($0.prefix(400)) }.joined(separator: "\n"))")
        #expect(refused > run.count / 2)
    }

    /// Most inputs keep one or two steps: small documents load fast, so more of them fit in a CI minute.
    static func smaller(_ playbook: JSONValue, _ random: inout FuzzRandom) -> JSONValue {
        guard random.chance(0.9), case .object(var o) = playbook, let steps = o["steps"]?.arrayValue, !steps.isEmpty else { return playbook }
        let first = random.below(steps.count)
        o["steps"] = .array(Array(steps[first..<min(steps.count, first + 1 + random.below(2))]))
        return .object(o)
    }

    @Test func clusterDecodingAndChecksSurviveMutatedObjects() throws {
        let run = FuzzRun(defaultCount: 6000)
        print("fuzz cluster objects: seed \(run.seed), \(run.count) inputs")
        var clusters: [JSONValue] = [], seeds: [JSONValue] = []
        for (_, text) in try Self.yamlFiles("scenarios") {
            let objects = try JSONValue.yamlDocuments(text).map(\.value).filter { $0["kind"]?.stringValue != "LabScenario" }
            clusters.append(["apiVersion": "v1", "kind": "List", "items": .array(objects)])
            seeds += objects.map { ["apiVersion": "v1", "kind": "List", "items": .array([$0])] }
        }
        #expect(seeds.count > 20)
        var m = FuzzMutator(seed: run.seed)
        m.hugeString = 16_000
        let checks = BuiltInChecks(now: { Date(timeIntervalSince1970: 1_800_000_000) })
        var parsed = 0, judged = 0
        var problems: [String] = []
        for i in 0..<run.count {
            // Whole scenarios are big: mostly mutate single objects, sometimes a whole cluster.
            let seed = m.random.chance(0.03) ? clusters[m.random.below(clusters.count)] : seeds[m.random.below(seeds.count)]
            let input = m.mutate(seed)
            let start = Date()
            if let value = try? JSONValue.parse(input) {
                parsed += 1
                if let snapshot = try? ClusterSnapshot(listJSON: value) {
                    _ = FindingChecks.run(snapshot, scope: CheckScope(now: Date(timeIntervalSince1970: 1_800_000_000)))
                    judged += 1
                }
                // Core's path: the batched read as Core keeps it, judged by the built-in checks.
                let items = value["items"]?.arrayValue ?? []
                let core = ObjectSnapshot(objects: ["all": items])
                _ = checks.check(snapshot: core, namespace: nil, observations: [])
                _ = core.answer(ObjectQuery(resource: "all", namespace: "istio-system", name: nil))
            }
            let took = Date().timeIntervalSince(start)
            if took > Self.hangSeconds { problems.append("input \(i) (\(m.lastMutation)): took \(took)s") }
        }
        print("fuzz cluster objects: \(run.count) inputs, seed \(run.seed) (PORTHOLE_FUZZ_SEED=\(run.seed) replays): \(parsed) parsed, \(judged) judged")
        let problemCount = problems.count
        #expect(problemCount == 0, "seed \(run.seed): \(problems.prefix(5).map { String($0.prefix(400)) }.joined(separator: "\n"))")
        #expect(judged > run.count / 4)
    }
}
