"""The demo is built from the day it is loaded (`timezone.localdate()`), so it must be right on
any day: here, loaded on a day in the summer term and on a day in the summer holiday."""

from collections import Counter
from datetime import date, timedelta
from unittest import mock

import pytest

from sendwise.core.models import School
from sendwise.delivery.models import Session
from sendwise.demo import generate as demo
from sendwise.demo import term_dates
from sendwise.evidence.services import catalogue_seed
from sendwise.maths import stats_rules
from sendwise.monitoring.models import Score
from sendwise.planning.models import Outcome, Plan
from tests.demo import demo_meetings


@pytest.mark.parametrize("today", [date(2027, 6, 16), date(2027, 8, 10)])
def test_the_demo_loaded_on_another_day_keeps_its_calendar_and_patterns(db, today):
    catalogue_seed()
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        demo.demo_load(seed=13)
    school = School.objects.get(urn=demo.MAIN_URN)
    sessions = list(Session.objects.filter(school=school).values_list("date", flat=True))
    assert len(sessions) > 200  # most of a school year
    assert min(sessions) < today - timedelta(days=200)
    assert all(term_dates.is_school_day(d) and d < today for d in sessions)
    scores = Score.objects.filter(school=school).values_list("taken_on", flat=True)
    assert all(d < today and term_dates.is_school_day(d) for d in scores)
    assert Plan.objects.filter(school=school, status="active", review_date__lt=today).exists()
    # The four demo review meetings, each held on a school day before today.
    held = list(demo_meetings(school).values_list("held_on", flat=True))
    assert len(held) == 4
    assert all(d < today and term_dates.is_school_day(d) for d in held)

    verdicts = Counter()
    outcomes = Outcome.objects.filter(school=school, measure__kind="curriculum_probe").exclude(
        plan__status=Plan.Status.REVIEWED
    )
    for outcome in outcomes.select_related("plan"):
        aimline = stats_rules.Aimline(
            outcome.baseline_date, outcome.baseline, outcome.target_date, outcome.target
        )
        points = Score.objects.filter(
            pupil=outcome.plan.pupil_id,
            measure=outcome.measure_id,
            taken_on__gte=outcome.baseline_date,
        ).values_list("taken_on", "value")
        verdicts[stats_rules.four_point_rule(list(points), aimline).verdict] += 1
    assert set(verdicts) == set(stats_rules.VERDICTS)
