import Foundation
import PortholeKube

/// One pure check: definitions of the codes it raises, examples that run as tests, and the judgement.
public protocol FindingCheck {
    /// Stable name of the check, e.g. `gateway-port-not-on-service`.
    static var id: String { get }
    /// The codes this check raises, each defined once in the check's file.
    static var definitions: [FindingDefinition] { get }
    /// Triggering and non-triggering examples; a test runs every one.
    static var examples: [CheckExample] { get }
    /// The judgement: findings over the snapshot, without suppression (the runner applies it).
    static func run(_ snapshot: ClusterSnapshot, _ scope: CheckScope) -> [Finding]
}

/// Kubernetes objects (YAML) and what a check must raise on them: `raises: []` means silent.
public struct CheckExample: Sendable {
    public var name: String
    public var yaml: String
    /// The codes of this check expected on these objects (as a set); empty for a non-triggering example.
    public var raises: [String]
    /// True when the example stands for a live read (every standard kind was collected, so an absent
    /// object does not exist); false for offline manifests a user wrote (`check -f`).
    public var live: Bool
    /// API kinds served by the cluster; nil when unknown (offline manifests).
    public var served: Set<KindKey>?
    public var observations: [OutsideObservation]

    public init(_ name: String, raises: [String], live: Bool = false, served: Set<KindKey>? = nil,
                observations: [OutsideObservation] = [], yaml: String) {
        self.name = name; self.yaml = yaml; self.raises = raises; self.live = live
        self.served = served; self.observations = observations
    }

    /// The snapshot this example stands for.
    public func snapshot() throws -> ClusterSnapshot {
        var s = try ClusterSnapshot(manifests: yaml)
        if live {
            s.collectedKinds = KindKey.standard
            s.fromManifests = []
        }
        s.servedKinds = served
        s.observations = observations
        return s
    }
}
