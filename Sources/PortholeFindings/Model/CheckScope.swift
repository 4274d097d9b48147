import Foundation

/// What a run of the checks looks at and how it judges: namespace filter, suppressions, the date.
///
/// `now` is passed in (never read from a clock here) so that expiry is a pure function of the scope.
public struct CheckScope: Sendable {
    /// Only findings about objects in this namespace (and cluster-scoped objects); nil for all namespaces.
    public var namespace: String?
    /// Suppressions given on the command line or in a session (`--suppress`).
    public var suppressions: [Suppression]
    /// The date suppressions are judged against (default: the epoch, so tests are deterministic; callers pass today).
    public var now: Date
    /// Prefix length assumed for a node's segment when the node does not say (Calico's annotation does).
    public var nodePrefixLength: Int
    /// Istio's root namespace (mesh-wide PeerAuthentication and DestinationRule live there).
    public var istioRootNamespace: String

    public init(namespace: String? = nil, suppressions: [Suppression] = [], now: Date = Date(timeIntervalSince1970: 0),
                nodePrefixLength: Int = 24, istioRootNamespace: String = "istio-system") {
        self.namespace = namespace; self.suppressions = suppressions; self.now = now
        self.nodePrefixLength = nodePrefixLength; self.istioRootNamespace = istioRootNamespace
    }
}
