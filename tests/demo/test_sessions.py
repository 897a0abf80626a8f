"""The demo's school year so far: sessions on school days only, with absences and cancellations,
a flagged dose, sessions for the demo specialist to record, reviews overdue and due, and scores
that follow designed response patterns the decision rules recognise.

The demo trust is loaded once for the module (tests/shared_data.py)."""

import copy
import itertools
from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import School, User
from sendwise.delivery import session_selectors
from sendwise.delivery.dose import NOT_PLACED
from sendwise.delivery.lesson_selectors import withdrawals
from sendwise.delivery.models import Attendance, Group, GroupMember, Session, Slot, Training
from sendwise.demo import delivery as demo_delivery
from sendwise.demo import generate as demo
from sendwise.demo import scores as demo_scores
from sendwise.demo import term_dates
from sendwise.evidence.services import catalogue_seed
from sendwise.maths import stats_rules
from sendwise.monitoring.models import Flag, Score
from sendwise.planning.models import Outcome, Placement, Plan
from tests.shared_data import rows_for_module


def load() -> School:
    catalogue_seed()
    demo.demo_load(seed=5)
    return School.objects.get(urn=demo.MAIN_URN)


@pytest.fixture(scope="module", autouse=True)
def shared_main_school(django_db_setup, django_db_blocker):
    yield from rows_for_module(django_db_blocker, load)


@pytest.fixture
def main_school(shared_main_school, db):
    return copy.deepcopy(shared_main_school)


def verdicts(school):
    """(measure kind, four-point verdict, trend verdict, points) for each current outcome with a
    measure, worked out with the decision rules themselves."""
    found = []
    outcomes = (
        Outcome.objects.filter(school=school, measure__isnull=False)
        .exclude(plan__status=Plan.Status.REVIEWED)
        .select_related("measure", "plan")
    )
    for outcome in outcomes:
        aimline = stats_rules.Aimline(
            outcome.baseline_date, outcome.baseline, outcome.target_date, outcome.target
        )
        points = list(
            Score.objects.filter(
                pupil=outcome.plan.pupil_id,
                measure=outcome.measure,
                taken_on__gte=outcome.baseline_date,
            )
            .order_by("taken_on")
            .values_list("taken_on", "value")
        )
        higher = outcome.measure.higher_is_better is not False
        four = stats_rules.four_point_rule(points, aimline, higher_is_better=higher)
        trend = stats_rules.trend_rule(points, aimline, higher_is_better=higher)
        found.append((outcome.measure.kind, four.verdict, trend.verdict, points))
    return found


def test_sessions_fall_on_school_days_only_from_september_to_yesterday(main_school):
    sessions = Session.objects.filter(school=main_school)
    assert sessions.count() > 100
    first_day, _days = term_dates.demo_year(timezone.localdate())
    for day in sessions.values_list("date", flat=True):
        assert term_dates.is_school_day(day), day
        assert first_day <= day < timezone.localdate()
    assert not any(d.weekday() >= 5 for d in sessions.values_list("date", flat=True))


def test_the_calendar_closes_weekends_half_terms_holidays_and_inset_days():
    assert term_dates.is_school_day(date(2026, 9, 3))  # the first day pupils are in
    assert not term_dates.is_school_day(date(2026, 9, 1))  # INSET
    assert not term_dates.is_school_day(date(2026, 10, 28))  # October half-term
    assert not term_dates.is_school_day(date(2026, 12, 5))  # a Saturday
    assert not term_dates.is_school_day(date(2026, 12, 24))  # Christmas holiday
    assert not term_dates.is_school_day(date(2027, 3, 29))  # Easter Monday (Easter 28 March)
    assert not term_dates.is_school_day(date(2027, 5, 31))  # spring bank holiday
    assert len(term_dates.school_year(2026).school_days()) == 192


def test_cancellations_and_absences_have_the_reasons_a_school_meets(main_school):
    sessions = Session.objects.filter(school=main_school)
    cancelled = Counter(sessions.filter(status="cancelled").values_list("cancel_reason", flat=True))
    assert cancelled["staff_absent"] and cancelled["school_event"]
    assert sum(cancelled.values()) < 0.3 * sessions.count()
    absent = Counter(
        Attendance.objects.filter(school=main_school, status="absent").values_list(
            "absence_reason", flat=True
        )
    )
    assert absent["ill"] and absent["appointment"]
    attended = Attendance.objects.filter(school=main_school).exclude(status="absent")
    assert set(attended.values_list("engagement", flat=True)) == {1, 2, 3, 4}
    assert Attendance.objects.filter(school=main_school, status="late").exists()


def test_one_groups_dose_is_flagged_for_its_cancellations(main_school):
    doses = {}
    for group in Group.objects.filter(school=main_school).prefetch_related(
        "members__placement__plan"
    ):
        placements = [m.placement for m in group.members.all()]
        doses.update(
            session_selectors.dose_for_placements(school_id=main_school.pk, placements=placements)
        )
    assert any(d.below and "cancellations" in d.reason for d in doses.values())


def test_the_demo_specialist_has_sessions_to_record_and_one_to_backfill(main_school):
    ta = User.objects.get(email=f"ta@{demo.DEMO_DOMAIN}")
    actor = actor_for(ta, main_school.pk)
    today, _earlier = session_selectors.sessions_due(actor=actor)
    if timezone.localdate().weekday() < 5:
        assert today and all(d.session is None for d in today)
    group = Group.objects.filter(school=main_school, deliverer=ta).order_by("id").first()
    _recorded, missed = session_selectors.group_sessions(actor=actor, group=group)
    last_school_day = term_dates.school_day_on_or_before(timezone.localdate() - timedelta(days=1))
    assert any(m.on == max(d.on for d in missed if term_dates.is_school_day(d.on)) for m in missed)
    assert max(d.on for d in missed if term_dates.is_school_day(d.on)) <= last_school_day


def test_some_reviews_are_overdue_and_some_due_in_the_next_two_weeks(main_school):
    today = timezone.localdate()
    current = Plan.objects.filter(school=main_school, status=Plan.Status.ACTIVE)
    assert current.filter(review_date__lt=today).exists()
    fortnight = [today + timedelta(days=n) for n in range(15)]
    if any(term_dates.is_school_day(day) for day in fortnight):  # not in the summer holiday
        assert current.filter(review_date__gte=today, review_date__lte=fortnight[-1]).exists()
    assert current.filter(review_date__gt=today + timedelta(days=14)).exists()


def test_every_demo_score_is_inside_its_measures_range_on_a_school_day(main_school):
    scores = Score.objects.filter(school=main_school).select_related("measure")
    assert scores.count() > 100
    for score in scores:
        low, high = demo_scores.bounds(score.measure)
        assert low <= score.value <= high, score
        assert term_dates.is_school_day(score.taken_on), score
        assert score.taken_on < timezone.localdate()


def test_probes_are_weekly_or_fortnightly_and_standardised_tests_termly(main_school):
    outcome = (
        Outcome.objects.filter(school=main_school, measure__kind="curriculum_probe")
        .exclude(plan__status=Plan.Status.REVIEWED)
        .select_related("plan")
        .order_by("plan__start_date")
        .first()
    )
    dates = sorted(
        Score.objects.filter(pupil=outcome.plan.pupil_id, measure=outcome.measure_id).values_list(
            "taken_on", flat=True
        )
    )
    gaps = [(b - a).days for a, b in itertools.pairwise(dates)]
    assert len(dates) >= 8 and max(gaps) <= 21  # weekly, a week missed now and then
    termly = Score.objects.filter(school=main_school, measure__kind="standardised").exclude(
        note__in=["Baseline", "End of block"]
    )
    for pupil_id in set(termly.values_list("pupil_id", flat=True)):
        mine = sorted(termly.filter(pupil_id=pupil_id).values_list("taken_on", flat=True))
        assert all((b - a).days > 40 for a, b in itertools.pairwise(mine))


def test_the_decision_rules_find_each_designed_response_pattern(main_school):
    found = verdicts(main_school)
    # Not responding: the last four points below the aimline and a flat trend.
    assert any(
        four == stats_rules.BELOW_AIMLINE and trend == stats_rules.BELOW_AIMLINE
        for _k, four, trend, _p in found
    )
    assert any(
        four == stats_rules.ABOVE_AIMLINE and trend == stats_rules.ABOVE_AIMLINE
        for _k, four, trend, _p in found
    )
    assert any(
        four == stats_rules.ON_TRACK and trend == stats_rules.ON_TRACK
        for _k, four, trend, _p in found
    )
    # Too few points to tell: support started lately.
    assert any(
        kind != "standardised" and four == stats_rules.TOO_FEW_POINTS and len(points) < 4
        for kind, four, _t, points in found
    )
    # A pupil not responding has a trend that is flat (well under the aimline's slope).
    for kind, four, trend, points in found:
        if kind == "curriculum_probe" and trend == stats_rules.BELOW_AIMLINE:
            assert four == stats_rules.BELOW_AIMLINE
            assert abs(points[-1][1] - points[1][1]) <= 6


# --- Pupils placed as a school would place them (sendwise/demo/delivery.py) ----------------------
def _current_targeted(school):
    return list(
        Placement.objects.filter(school=school, intervention__kind="targeted_intervention")
        .current()
        .select_related("intervention")
    )


def test_every_pupil_planned_a_targeted_intervention_has_a_group_but_a_few_waiting(main_school):
    in_groups = set(
        GroupMember.objects.filter(school=main_school, left_on=None).values_list(
            "placement_id", flat=True
        )
    )
    waiting = [p for p in _current_targeted(main_school) if p.pk not in in_groups]
    assert 1 <= len(waiting) <= demo_delivery.WAITING
    raised = Flag.objects.filter(school=main_school, kind="low_dose", verdict="raised")
    not_started = [f for f in raised if NOT_PLACED in f.reason]
    assert 1 <= len(not_started) <= demo_delivery.WAITING


def test_one_to_one_programmes_get_a_group_a_pupil_and_no_group_is_over_full(main_school):
    groups = Group.objects.filter(school=main_school)
    assert groups.count() > 6
    for group in groups:
        now = group.members.filter(left_on=None).count()
        assert now <= group.places, group.name
        if group.intervention.format == "one_to_one":
            assert group.places == 1, group.name


def test_no_one_runs_two_groups_at_once_and_each_is_trained_in_what_they_run(main_school):
    by_person: dict[int, list[tuple[int, int, int]]] = {}
    for slot in Slot.objects.filter(school=main_school).select_related("group"):
        start = slot.starts_at.hour * 60 + slot.starts_at.minute
        by_person.setdefault(slot.group.deliverer_id, []).append(
            (slot.weekday, start, start + slot.minutes)
        )
    for times in by_person.values():
        times.sort()
        for (day, _start, end), (next_day, next_start, _end) in itertools.pairwise(times):
            assert day != next_day or end <= next_start
    trained = set(Training.objects.values_list("staff_id", "intervention_id"))
    # The groups running now (last year's, archived, have no slots and may name no one).
    for group in Group.objects.filter(school=main_school, archived=False):
        assert (group.deliverer_id, group.intervention_id) in trained, group.name


def test_the_demo_groups_keep_out_of_core_lessons_so_few_pupils_show_a_lesson_warning(
    main_school,
):
    """The demo SENCO timetables groups in registration time or the afternoons' foundation
    lessons (which the demo school allows once a week), never English, phonics or reading. The
    few pupils the withdrawal page flags are those of the one group that meets across maths
    three times a week: something the SENCO can act on by moving that group."""
    senco = actor_for(User.objects.get(email=f"senco@{demo.DEMO_DOMAIN}"), main_school.pk)
    found = withdrawals(actor=senco)
    missed = {row.missed.subject for row in found.rows}
    assert not missed & {"english", "phonics", "reading", "writing"}
    over = [row for row in found.rows if row.over]
    flagged = {row.pupil.name for row in over}
    assert 1 <= len(flagged) <= 5 < found.pupils
    assert {row.missed.subject for row in over} == {"maths"}
    in_maths = Slot.objects.filter(group__school=main_school, starts_at=demo_delivery.MATHS_TIME)
    assert in_maths.values("group").distinct().count() == 1
    # Registration time takes no one out of a lesson.
    assert Slot.objects.filter(group__school=main_school, starts_at="08:45").exists()
