"""What an EHC evidence pack holds and what the SENCO still has to add."""

from sendwise.reports.ehc_checklist import Counts, checklist, missing_essentials

EMPTY = Counts(0, False, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def test_an_empty_record_lists_every_essential_as_missing_with_what_to_do():
    items = checklist(EMPTY)
    missing = {i.label for i in missing_essentials(items)}
    assert "The pupil's views" in missing
    assert "The parents' views" in missing
    assert "At least 2 reviewed cycles of support" in missing
    assert "Advice from outside the school" in missing
    # The profile and concerns are useful but not reasons for a local authority to refuse.
    assert "A profile of strengths and what helps" not in missing
    voice = next(i for i in items if i.label == "The pupil's views")
    assert "gather them before sending" in voice.detail


def test_two_reviewed_cycles_with_measured_outcomes_and_both_voices_are_present():
    counts = Counts(
        needs_recorded=2, profile_written=True, plans=3, reviews_completed=2,
        outcomes_with_measure=3, scores=9, interventions=3, interventions_with_sessions=2,
        pupil_voice=2, parent_voice=1, concerns=1, observations=4, outside_advice=1,
        outcomes_with_progress=2,
    )  # fmt: skip
    items = checklist(counts)
    assert missing_essentials(items) == []
    cycles = next(i for i in items if i.label.startswith("At least 2"))
    assert cycles.detail == "3 plans, 2 completed reviews"


def test_one_reviewed_cycle_is_not_enough():
    counts = Counts(1, True, 1, 1, 1, 3, 1, 1, 1, 1, 0, 0, 0)
    cycles = next(i for i in checklist(counts) if i.label.startswith("At least 2"))
    assert not cycles.present
    assert "usually shows 2 or more" in cycles.detail


def test_outcomes_with_only_their_starting_score_do_not_show_progress():
    """A tester found "present" beside outcomes whose later score was missing."""
    counts = Counts(
        needs_recorded=1, profile_written=True, plans=2, reviews_completed=2,
        outcomes_with_measure=2, scores=2, interventions=1, interventions_with_sessions=1,
        pupil_voice=1, parent_voice=1, concerns=0, observations=0, outside_advice=1,
        outcomes_with_progress=0,
    )  # fmt: skip
    item = next(i for i in checklist(counts) if i.label == "Outcomes measured against a baseline")
    assert not item.present
    assert "none has a score after its starting one yet" in item.detail
    assert item in missing_essentials(checklist(counts))
