import Foundation
import Testing
import PortholeKube
@testable import PortholeCore

/// Drift checks against a masked journal: a masked value matches whatever stands there, anything else must be equal.
@Suite struct MaskedComparisonTests {
    let recorded: JSONValue = [
        "kind": "Secret", "metadata": ["name": "basic-auth", "resourceVersion": "7",
                                       "annotations": ["last-applied": #"{"stringData":{"auth":"<masked: secret input>"}}"#]],
        "data": ["auth": "<masked: secret data>"],
    ]

    @Test func maskedValuesMatchTheLiveSecretInAnyProcess() {
        let live: JSONValue = [
            "kind": "Secret", "metadata": ["name": "basic-auth", "resourceVersion": "9",
                                           "annotations": ["last-applied": #"{"stringData":{"auth":"ops:$2y$05$abc"}}"#]],
            "data": ["auth": "b3BzOiQyeSQwNSRhYmM="],
        ]
        #expect(ObjectComparison.sameAllowingMasks(recorded: recorded, now: live))
    }

    @Test func aChangeOutsideTheMasksIsStillDrift() {
        let changedLabel: JSONValue = [
            "kind": "Secret", "metadata": ["name": "basic-auth", "labels": ["team": "other"],
                                           "annotations": ["last-applied": #"{"stringData":{"auth":"x"}}"#]],
            "data": ["auth": "eA=="],
        ]
        let changedAround: JSONValue = [
            "kind": "Secret", "metadata": ["name": "basic-auth", "annotations": ["last-applied": #"{"stringData":{"user":"x"}}"#]],
            "data": ["auth": "eA=="],
        ]
        #expect(!ObjectComparison.sameAllowingMasks(recorded: recorded, now: changedLabel))
        #expect(!ObjectComparison.sameAllowingMasks(recorded: recorded, now: changedAround))
        #expect(!ObjectComparison.sameAllowingMasks(recorded: recorded, now: nil))
    }
}
