"""maths.reliability: the one rule for which coefficient judges reliable change, used by impact
(a pupil's results, the school's figures) and by monitoring (progress verdicts, reviews)."""

from sendwise.maths.reliability import (
    change_reliability,
    measure_change_reliability,
    reliability_of,
)

SDQ_RELIABILITY = [  # as the catalogue holds it (evidence/seed/measures.yaml, sdq_teacher)
    {"coefficient": 0.73, "type": "internal consistency (mean Cronbach alpha across scales)"},
    {"coefficient": 0.62, "type": "test-retest (mean, 4 to 6 months)"},
    {"coefficient": 0.34, "type": "cross-informant correlation (mean)"},
]


def test_reliable_change_uses_test_retest_then_internal_consistency_never_cross_informant():
    sdq = change_reliability(SDQ_RELIABILITY, 0.34)
    assert (sdq.value, sdq.kind, sdq.label) == (0.62, "test–retest", "test–retest reliability 0.62")
    internal = change_reliability(SDQ_RELIABILITY[:1] + SDQ_RELIABILITY[2:], 0.34)
    assert (internal.value, internal.kind) == (0.73, "internal-consistency")
    assert change_reliability(SDQ_RELIABILITY[2:], 0.34) is None
    assert change_reliability([], 0.9).label == "recorded reliability 0.90"
    assert change_reliability([{"coefficient": None, "type": "test-retest"}]) is None


def test_a_measure_gives_its_coefficient_with_its_name_or_none():
    class Sdq:
        reliability = 0.34  # the lowest of its sources, as the catalogue stores it
        reliability_detail = SDQ_RELIABILITY

    class Unknown:
        reliability = None
        reliability_detail = []

    assert measure_change_reliability(Sdq).label == "test–retest reliability 0.62"
    assert reliability_of(Sdq) == 0.62
    assert measure_change_reliability(Unknown) is None
    assert reliability_of(Unknown) is None
