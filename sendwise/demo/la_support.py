"""Support at local-authority scale, for the benchmarks: plans, placements, outcomes, groups,
sessions with registers, scores, and the impact results and aggregates they give.

``local_authority_build`` makes about 100,000 pupils in some 280 schools; this module gives the
pupils with SEN four school years of support, a plan each term they were at SEN support (at
most twelve cycles), one or two targeted interventions a plan (from the two or three programmes
each school runs for an area of need), each run in a group of up to six pupils that meets once
a week for ten weeks with a register, and seven scores on the outcome's
measure (a baseline, five progress checks, one at the end of the block). With the census shares
of ``generate`` that is about 200,000 placements and a million scores for 100,000 pupils.

Written for speed, not realism of each record: one school at a time, every table written with
``bulk_create`` in large batches and no per-row history (these are generated benchmark rows,
like the main school's demo scores; nobody edited them); the two largest tables (scores and
attendance, millions of rows) go in as plain parameterised ``INSERT``s through
``executemany``, since building a Django model object for each row costs more than the insert. The impact rows are computed from the
same made-up figures with ``impact.sums`` (the arithmetic the per-save upkeep also uses), then
the aggregates are built set-based by ``impact.bulk_services.aggregates_rebuild``: one grouped
query over the results, not one per cell.

Made-up data: gains on standard scores are drawn around +3 points (a fifth of an SD), spread by
about what measurement error alone gives; they are plausible, not real.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from sendwise.core.codes import AREA_OF_NEED
from sendwise.core.models import Membership, School, Trust
from sendwise.core.roles import Role
from sendwise.demo import scores as demo_scores
from sendwise.demo import term_dates
from sendwise.demo.la_registers import (
    BLOCK_WEEKS,
    SCORE_COLUMNS,
    SESSIONS_A_WEEK,
    bulk,
    db_datetime,
    groups_and_registers,
    insert_rows,
)
from sendwise.evidence.models import Intervention, Measure
from sendwise.impact import sums
from sendwise.impact.bulk_services import aggregates_rebuild
from sendwise.impact.models import PlacementResult, Term
from sendwise.monitoring.models import Score
from sendwise.planning.models import Outcome, Placement, Plan, Response
from sendwise.pupils.census_checks import academic_year_start
from sendwise.pupils.models import Pupil

YEARS = 4
#: Progress checks between the baseline and the end of a block (probes, on the same measure).
CHECKS = 5
_CHECK_STEPS = tuple(range(1, CHECKS + 1))
TERMS = (Term.AUTUMN, Term.SPRING, Term.SUMMER)
#: Share of plans with a second targeted intervention (gives about two placements a pupil).
SECOND_PLACEMENT = 0.5
OUTCOME_TEXT = "By the review, {name} will make the progress the plan sets on {measure}."
#: What progress is measured on, by area of need: slugs tried in order (the seeded catalogue's).
MEASURES_BY_AREA = {
    "cognition_learning": ("yarc_passage_primary", "towre", "ngrt"),
    "communication_interaction": ("celf5_uk_test_scaled_score",),
    "semh": ("sdq_teacher",),
    "sensory_physical": ("mabc2", "beery_vmi6"),
}


@dataclass(frozen=True)
class Block:
    """One term's block of support: start, end of the block (the review), the term."""

    academic_year: int
    term: str
    start: date
    review: date


def blocks(today: date) -> list[Block]:
    """The blocks of the last ``YEARS`` school years that have started by ``today``."""
    current = academic_year_start(today)
    found = []
    for starts in range(current - YEARS + 1, current + 1):
        calendar = term_dates.school_year(starts)
        for term, (first, _last) in zip(TERMS, calendar.terms, strict=True):
            start = term_dates.school_day_on_or_after(first + timedelta(days=10))
            review = term_dates.school_day_on_or_after(start + timedelta(weeks=BLOCK_WEEKS))
            if start <= today:
                found.append(Block(starts, term, start, review))
    return found


def _catalogue():
    """Targeted interventions by area of need, and a measure per area (standardised first)."""
    by_area: dict[str, list[Intervention]] = {}
    for i in Intervention.objects.filter(school__isnull=True, kind="targeted_intervention"):
        for area in i.broad_areas or ["cognition_learning"]:
            by_area.setdefault(area, []).append(i)
    measures = {m.slug: m for m in Measure.objects.all()}
    fallback = next(
        (m for m in measures.values() if m.kind == "standardised" and m.sd and m.higher_is_better),
        None,
    )
    per_area = {}
    for area, slugs in MEASURES_BY_AREA.items():
        per_area[area] = next((measures[s] for s in slugs if s in measures), fallback)
    every = sorted(
        {i.pk: i for rows in by_area.values() for i in rows}.values(), key=lambda i: i.pk
    )
    return by_area, per_area, every


def _scores(rng, measure: Measure, nc_year: int) -> tuple[float, float, list[float]]:
    """Pre, post and ``CHECKS`` checks between them, in the measure's own scale."""
    if measure.kind == "standardised" and measure.sd:
        sd = measure.sd
        mean = measure.mean or 100.0
        pre = round(rng.gauss(mean - 1.1 * sd, 0.4 * sd))
        post = pre + round(rng.gauss(0.2 * sd, 0.45 * sd))
    elif measure.higher_is_better is False:  # a rating of difficulties, e.g. the SDQ (0-40)
        pre = rng.randrange(14, 30)
        post = pre - round(rng.gauss(2.5, 3.5))
    else:  # a probe or an age equivalent: months or words a minute
        pre = rng.randrange(20 + 6 * nc_year, 40 + 10 * nc_year)
        post = pre + round(rng.gauss(6, 5))
    low, high = measure.scale_min, measure.scale_max
    if low is not None:
        pre, post = max(low, pre), max(low, post)
    if high is not None:
        pre, post = min(high, pre), min(high, post)
    checks = [pre + (post - pre) * k / (CHECKS + 1) + rng.gauss(0, 1) for k in _CHECK_STEPS]
    if low is not None:
        checks = [max(low, c) for c in checks]
    if high is not None:
        checks = [min(high, c) for c in checks]
    return float(pre), float(post), [demo_scores.as_scored(measure, c) for c in checks]


def school_support_build(rng, school: School, catalogue, today: date) -> dict[str, int]:
    """Four years of support for one school's pupils with SEN (see the module docstring)."""
    by_area, per_area, every = catalogue
    senco = Membership.objects.filter(school=school, role=Role.SENCO).select_related("user").first()
    senco_user = senco.user if senco else None
    staff = [
        m.user_id
        for m in Membership.objects.filter(
            school=school, role__in=(Role.INTERVENTION_SPECIALIST, Role.TEACHER)
        ).order_by("id")[:12]
    ]
    pupils = list(Pupil.unscoped.filter(school=school).exclude(sen_provision="N").order_by("id"))
    # A school runs a few programmes for each area of need, not a different one for each pupil.
    runs = {area: rng.sample(options, min(3, len(options))) for area, options in by_area.items()}
    plans, placements, picks = [], [], []
    for block in blocks(today):
        for pupil in pupils:
            if rng.random() < 0.1:  # not every pupil with SEN has a plan every term
                continue
            area = str(AREA_OF_NEED.get(pupil.primary_need, "cognition_learning"))
            options = runs.get(area) or every[:3]
            reviewed = block.review < today
            plan = Plan(
                school=school, pupil=pupil, cycle=len(plans) + 1, status=Plan.Status.REVIEWED
                if reviewed else Plan.Status.ACTIVE, start_date=block.start,
                review_date=block.review, reviewed_on=block.review if reviewed else None,
                created_by=senco_user,
            )  # fmt: skip
            plans.append(plan)
            wanted = 2 if rng.random() < SECOND_PLACEMENT else 1
            for intervention in rng.sample(options, min(wanted, len(options))):
                picks.append((plan, intervention, area, block, pupil))
    # Cycles count per pupil, not per school.
    cycles: dict[int, int] = {}
    for plan in plans:
        cycles[plan.pupil_id] = plan.cycle = cycles.get(plan.pupil_id, 0) + 1
    bulk(Plan, plans)

    for plan, intervention, _area, _block, _pupil in picks:
        placements.append(
            Placement(
                school=school, plan=plan, intervention=intervention,
                sessions_per_week=SESSIONS_A_WEEK, minutes_per_session=30, weeks=BLOCK_WEEKS,
            )
        )  # fmt: skip
    outcomes, scores, results = [], [], []
    senco_id = senco_user.pk if senco_user else None
    created = db_datetime(Score, "created_at", timezone.now())
    figures = {}
    # A pupil is assessed once per date: a plan's second intervention, measured on the same
    # test, shares the first one's scores (and its progress counts for both, as in practice).
    assessed: dict[int, tuple] = {}
    for placement, (plan, _intervention, area, block, pupil) in zip(placements, picks, strict=True):
        measure = per_area.get(area)
        if measure is None:
            figures[id(placement)] = None
            continue
        if id(plan) in assessed:
            figures[id(placement)] = (*assessed[id(plan)][:-1], ())
            placement.response = assessed[id(plan)][-1]
            continue
        pre, post, checks = _scores(rng, measure, pupil.nc_year)
        pre_on = term_dates.school_day_on_or_before(block.start - timedelta(days=3))
        post_on = term_dates.school_day_on_or_before(block.review - timedelta(days=2))
        if post_on >= today:
            post = None
        if plan.status == Plan.Status.REVIEWED and post is not None:
            better = (post - pre) * (-1 if measure.higher_is_better is False else 1)
            placement.response = (
                Response.RESPONDED if better > 2 else Response.NO_RESPONSE if better <= 0
                else Response.TOO_EARLY
            )  # fmt: skip
        figures[id(placement)] = (measure, pre, pre_on, post, post_on, checks)
        assessed[id(plan)] = (measure, pre, pre_on, post, post_on, placement.response)
    bulk(Placement, placements)

    made = {"plans": len(plans), "placements": len(placements)}
    for placement, (plan, _i, _area, block, pupil) in zip(placements, picks, strict=True):
        figure = figures[id(placement)]
        if figure is None:
            continue
        measure, pre, pre_on, post, post_on, checks = figure
        outcomes.append(
            Outcome(
                school=school, plan=plan, placement=placement, measure=measure, baseline=pre,
                baseline_date=pre_on, target=demo_scores.whole_goal(measure, pre, pre + (
                    6 if measure.higher_is_better is not False else -4)),
                target_date=block.review,
                text=OUTCOME_TEXT.format(name=pupil.first_name, measure=measure.name)[:1000],
            )
        )  # fmt: skip
        if not checks:  # the plan's second intervention: its scores are already written
            continue
        span = (post_on - pre_on).days
        dated = [(pre_on, pre, "Baseline")]
        dated += [
            (pre_on + timedelta(days=span * k // (CHECKS + 1)), value, "Progress check")
            for k, value in zip(_CHECK_STEPS, checks, strict=True)
        ]
        if post is not None:
            dated.append((post_on, post, "End of block"))
        scores += [
            (school.pk, pupil.pk, measure.pk, value, on, senco_id, note, created, 1, "")
            for on, value, note in dated if on < today
        ]  # fmt: skip
    bulk(Outcome, outcomes)
    insert_rows(Score, SCORE_COLUMNS, scores)
    made.update(outcomes=len(outcomes), scores=len(scores))

    made.update(groups_and_registers(rng, school, placements, picks, staff, senco_user, today))
    for placement, (plan, intervention, _area, block, pupil) in zip(placements, picks, strict=True):
        figure = figures[id(placement)]
        dose = placement.dose_figures
        result = PlacementResult(
            school=school, placement=placement, pupil=pupil, intervention=intervention,
            academic_year=block.academic_year, term=block.term,
            completed=plan.status == Plan.Status.REVIEWED, response=placement.response,
            nc_year=pupil.nc_year, primary_need=pupil.primary_need, eal=pupil.eal,
            pupil_premium=pupil.pupil_premium, gender=pupil.gender, **dose,
        )  # fmt: skip
        if figure is not None:
            measure, pre, pre_on, post, post_on, _checks = figure
            gain = sums.placement_gain(
                kind=measure.kind, pre=pre, post=post, norm_sd=measure.sd,
                reliability=measure.reliability, higher_is_better=measure.higher_is_better,
                days_elapsed=(post_on - pre_on).days,
            )  # fmt: skip
            result.measure, result.pre, result.pre_on = measure, pre, pre_on
            if post is not None:
                result.post, result.post_on = post, post_on
            result.gain_kind, result.gain, result.reliable = gain.kind, gain.value, gain.reliable
        results.append(result)
    bulk(PlacementResult, results)
    made["results"] = len(results)
    return made


def la_support_build(*, la: Trust, seed: int = 2026, today: date | None = None) -> dict[str, int]:
    """Support, registers, scores and impact rows for every school of ``la``; then the
    aggregates, set-based. Returns how many rows of each kind were made."""
    today = today or timezone.localdate()
    rng = random.Random(seed + 12)  # noqa: S311 - seeded made-up data, on purpose
    catalogue = _catalogue()
    if not catalogue[2]:
        return {}
    totals: dict[str, int] = {}
    schools = list(School.objects.filter(trust=la).order_by("id"))
    for school in schools:
        with transaction.atomic():
            for key, n in school_support_build(rng, school, catalogue, today).items():
                totals[key] = totals.get(key, 0) + n
    totals["aggregates"] = aggregates_rebuild(school_ids=[s.pk for s in schools])
    return totals
