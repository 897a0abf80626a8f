"""Keeping ``PlacementResult`` and ``ImpactAggregate`` in step with the rows they are worked out
from (scores, outcomes, placements, plans, sessions and attendance, the pupil).

Rule: a placement's result is worked out from raw rows by the same rule as the intervention
page's "What our practice shows" (``selectors.judged_placements``), its dose by
``delivery``'s rule (``session_selectors.dose_for_placements``), its gain and reliable change by
the pure ``results``; then the aggregate cells (school × intervention × measure × year × term)
its old and new rows fall in are rebuilt from the results with one GROUP BY, in the same
transaction. A withdrawn placement has no result.

These rows are derived data, not records of children: recomputing replaces them, and a
placement withdrawn (entered by mistake) loses its row. Who starts a refresh is ``signals``
(after each change) and ``manage.py impact_rebuild`` (everything, and nightly: a dose "to date"
grows with the calendar even on a day nobody saves anything).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, F, IntegerField, Max, Q, Sum, When
from django.utils import timezone

from sendwise.core.models import School
from sendwise.core.services import service
from sendwise.delivery.session_selectors import dose_for_placements
from sendwise.impact import results
from sendwise.impact.models import ImpactAggregate, PlacementResult
from sendwise.impact.selectors import judged_placements, review_recorded
from sendwise.impact.study_selectors import set_aside_placements
from sendwise.maths.reliability import reliability_of
from sendwise.planning.models import Placement, Plan

#: Placements worked out per batch in a rebuild (each batch is a few queries).
BATCH = 500

_RESULT_FIELDS = [
    f.name
    for f in PlacementResult._meta.concrete_fields
    if f.name not in ("id", "placement", "computed_at")
] + ["computed_at"]


@dataclass(frozen=True)
class Refreshed:
    results: int  # rows written
    removed: int  # rows of withdrawn or missing placements removed
    cells: int  # aggregate cells rebuilt


def _lock(school_id: int) -> None:
    """One refresh of a school's cells at a time: two at once would both delete a cell and
    both insert it again (the second refused by the unique constraint)."""
    School.objects.select_for_update().filter(pk=school_id).first()


def _placements(school_id: int, ids: Iterable[int]) -> list[Placement]:
    return list(
        Placement.objects.filter(school=school_id, pk__in=list(ids))
        .annotate(review_recorded=review_recorded())
        .select_related("plan", "plan__pupil", "intervention")
        .order_by("id")
    )


def _result(judged, dose, today: date) -> PlacementResult:
    placement = judged.placement
    plan, pupil = placement.plan, placement.plan.pupil
    year, term = results.term_of(plan.start_date)
    measure = judged.measure
    gain = results.Gain("", None, "", None)
    if measure is not None:
        gain = results.gain(
            results.Scores(
                kind=measure.kind,
                pre=judged.pre,
                post=judged.post,
                pre_on=judged.pre_on,
                post_on=judged.post_on,
                sd=measure.sd,
                reliability=reliability_of(measure),
                higher_is_better=measure.higher_is_better,
            )
        )
    share = None
    # No share of the dose without a register to count it from: a placement never put in a
    # group (percent None) or whose group recorded no session while the pupil was in it is
    # "no sessions recorded", not 0% delivered, and stays out of every mean dose.
    if dose is not None and dose.percent is not None and (dose.held or dose.cancelled):
        share = min(max(dose.percent / 100, 0.0), 1.0)  # delivery.dose's percent, bounded 0–1
    return PlacementResult(
        school_id=placement.school_id,
        placement=placement,
        pupil_id=plan.pupil_id,
        intervention_id=placement.intervention_id,
        academic_year=year,
        term=term,
        outcome=judged.outcome,
        measure=measure,
        pre=judged.pre,
        pre_on=judged.pre_on if judged.outcome else None,
        post=judged.post,
        post_on=judged.post_on,
        gain_kind=gain.kind,
        gain=gain.value,
        reliable=gain.reliable,
        sessions_planned=dose.planned_sessions if dose else 0,
        sessions_held=dose.held if dose else 0,
        sessions_attended=dose.delivered_sessions if dose else 0,
        minutes_attended=dose.delivered_minutes if dose else 0,
        dose_share=share,
        completed=bool(getattr(placement, "review_recorded", False)),
        # Waiting: never put in a group for it (delivery.dose's rule), so nothing was received.
        placed=dose is not None and dose.placed,
        response=placement.response,
        nc_year=pupil.nc_year,
        primary_need=pupil.primary_need,
        eal=pupil.eal,
        pupil_premium=pupil.pupil_premium,
        gender=pupil.gender,
        computed_at=timezone.now(),
    )


def _cells(rows) -> set[tuple[int, int, int, str]]:
    return {(r["school_id"], r["intervention_id"], r["academic_year"], r["term"]) for r in rows}


def _cell_keys(school_id: int, placement_ids: list[int]) -> set[tuple[int, int, int, str]]:
    return _cells(
        PlacementResult.objects.filter(school=school_id, placement_id__in=placement_ids).values(
            "school_id", "intervention_id", "academic_year", "term"
        )
    )


def _write_results(
    school_id: int, placements: list[Placement], today: date
) -> tuple[int, int, set[tuple[int, int, int, str]]]:
    """Work out and store the results of these placements; remove those of withdrawn ones.
    Returns the rows written, the rows removed, and the aggregate cells the new rows fall in."""
    standing = [p for p in placements if p.withdrawn_at is None]
    gone = [p.pk for p in placements if p.withdrawn_at is not None]
    removed = 0
    if gone:
        removed, _ = PlacementResult.objects.filter(placement_id__in=gone).delete()
    if not standing:
        return 0, removed, set()
    doses = dose_for_placements(school_id=school_id, placements=standing, today=today)
    rows = [
        _result(j, doses.get(j.placement.pk), today)
        for j in judged_placements(school_id=school_id, placements=standing)
    ]
    PlacementResult.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["placement"],
        update_fields=[f for f in _RESULT_FIELDS if f != "school"],
    )
    cells = {(r.school_id, r.intervention_id, r.academic_year, r.term) for r in rows}
    return len(rows), removed, cells


def _sums(results_qs):
    """One GROUP BY over results: the sufficient statistics of each aggregate cell. Only
    placed pupils' results count in the figures; a waiting pupil's counts in ``waiting`` of
    the cell's row without a measure, whatever their outcome (they had nothing to judge)."""
    placed = Q(placed=True)
    full = placed & Q(dose_share__gte=results.FULL_DOSE)
    gained = placed & Q(gain__isnull=False)
    dosed = Q(dose_share__isnull=False)
    return (
        results_qs.annotate(
            cell_measure=Case(
                When(placed, then=F("measure_id")), default=None, output_field=IntegerField()
            )
        )
        .values("school_id", "intervention_id", "cell_measure", "academic_year", "term")
        .annotate(
            placements=Count("id", filter=placed),
            waiting=Count("id", filter=~placed),
            distinct_pupils=Count("pupil_id", filter=placed, distinct=True),
            distinct_scored=Count("pupil_id", filter=gained, distinct=True),
            completed_n=Count("id", filter=placed & Q(completed=True)),
            scored=Count("id", filter=gained),
            gain_sum=Sum("gain", filter=gained, default=0.0),
            gain_sq_sum=Sum(F("gain") * F("gain"), filter=gained, default=0.0),
            reliable_judged=Count("id", filter=placed & ~Q(reliable="")),
            reliable_improved=Count("id", filter=placed & Q(reliable=results.IMPROVED)),
            dose_n=Count("id", filter=placed & Q(dose_share__isnull=False)),
            dose_share_sum=Sum("dose_share", filter=placed, default=0.0),
            full_dose=Count("id", filter=full),
            full_dose_scored=Count("id", filter=full & gained),
            full_dose_gain_sum=Sum("gain", filter=full & gained, default=0.0),
            full_dose_gain_sq_sum=Sum(F("gain") * F("gain"), filter=full & gained, default=0.0),
            dosed_scored=Count("id", filter=dosed & gained),
            dosed_gain_sum=Sum("gain", filter=dosed & gained, default=0.0),
            dosed_gain_sq_sum=Sum(F("gain") * F("gain"), filter=dosed & gained, default=0.0),
            minutes_attended_sum=Sum("minutes_attended", filter=placed, default=0),
            kind=Max("gain_kind", filter=gained),
        )
        .order_by()
    )


def aggregate_rows(results_qs) -> list[ImpactAggregate]:
    """The aggregate rows (unsaved) of these results, one a cell, by ``_sums``'s rule: the one
    rule for the per-save upkeep and for rebuilding many schools at once
    (``bulk_services.aggregates_rebuild``)."""
    return [
        ImpactAggregate(
            school_id=r["school_id"],
            intervention_id=r["intervention_id"],
            measure_id=r["cell_measure"],
            academic_year=r["academic_year"],
            term=r["term"],
            gain_kind=r["kind"] or "",
            placements=r["placements"],
            waiting=r["waiting"],
            distinct_pupils=r["distinct_pupils"],
            distinct_scored=r["distinct_scored"],
            completed=r["completed_n"],
            scored=r["scored"],
            gain_sum=r["gain_sum"],
            gain_sq_sum=r["gain_sq_sum"],
            reliable_judged=r["reliable_judged"],
            reliable_improved=r["reliable_improved"],
            dose_n=r["dose_n"],
            dose_share_sum=r["dose_share_sum"],
            full_dose=r["full_dose"],
            full_dose_scored=r["full_dose_scored"],
            full_dose_gain_sum=r["full_dose_gain_sum"],
            full_dose_gain_sq_sum=r["full_dose_gain_sq_sum"],
            dosed_scored=r["dosed_scored"],
            dosed_gain_sum=r["dosed_gain_sum"],
            dosed_gain_sq_sum=r["dosed_gain_sq_sum"],
            minutes_attended_sum=r["minutes_attended_sum"],
        )
        for r in _sums(results_qs)
    ]


def _rebuild_cells(school_id: int, cells: set[tuple[int, int, int, str]] | None) -> int:
    """Rebuild the school's aggregate rows of these cells (None: every cell) from its results."""
    aggregates = ImpactAggregate.objects.filter(school=school_id)
    # A local study the SENCO set aside as not representative counts in no pooled figure: not
    # the school's, the trust's or the authority's (its pupils keep their own results).
    found = PlacementResult.objects.filter(school=school_id).exclude(
        placement_id__in=set_aside_placements(school_id=school_id)
    )
    if cells is not None:
        if not cells:
            return 0
        where = Q()
        for _school, intervention, year, term in cells:
            where |= Q(intervention_id=intervention, academic_year=year, term=term)
        aggregates, found = aggregates.filter(where), found.filter(where)
    aggregates.delete()
    rows = aggregate_rows(found)
    ImpactAggregate.objects.bulk_create(rows)
    return len(cells) if cells is not None else len(rows)


@service
def aggregate_cells_rebuild(*, school_id: int, placement_ids: Iterable[int]) -> int:
    """Rebuild the aggregate cells these placements' results fall in (their results unchanged):
    what setting a local study aside, or counting it again, changes."""
    ids = sorted(set(placement_ids))
    if not ids:
        return 0
    _lock(school_id)
    return _rebuild_cells(school_id, _cell_keys(school_id, ids))


@service
def results_refresh(
    *, school_id: int, placement_ids: Iterable[int], today: date | None = None
) -> Refreshed:
    """Work out again the results of these placements of one school (withdrawn ones lose
    theirs) and rebuild the aggregate cells their old and new results fall in."""
    today = today or timezone.localdate()
    ids = sorted(set(placement_ids))
    if not ids:
        return Refreshed(0, 0, 0)
    _lock(school_id)
    cells = _cell_keys(school_id, ids)
    written, removed, new_cells = _write_results(school_id, _placements(school_id, ids), today)
    cells |= new_cells  # the cells of the rows as they are now (no query: just written)
    rebuilt = _rebuild_cells(school_id, cells)
    return Refreshed(written, removed, rebuilt)


@service
def impact_rebuild(*, school_id: int, today: date | None = None) -> Refreshed:
    """Work out every result of one school again from scratch, then every aggregate cell with
    one GROUP BY. Results of placements that no longer stand are removed."""
    today = today or timezone.localdate()
    _lock(school_id)
    standing = Placement.objects.standing().filter(school=school_id)
    ids = list(standing.order_by("id").values_list("id", flat=True))
    removed, _ = (
        PlacementResult.objects.filter(school=school_id)
        .exclude(placement_id__in=standing.values("id"))
        .delete()
    )
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = _placements(school_id, ids[start : start + BATCH])
        n, _, _ = _write_results(school_id, batch, today)
        written += n
    cells = _rebuild_cells(school_id, None)
    return Refreshed(written, removed, cells)


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def scores_in_window(scores: Iterable[tuple[int, int, date]]) -> Q:
    """The placements a score (pupil, measure, date taken) added or withdrawn can change: those
    whose plan has an outcome on that measure (no other outcome reads it) and whose window can
    hold the date. By ``selectors.judged_placements``' rule a later score counts only when
    taken after the plan's start (and after the outcome's baseline, on or after the start) and,
    for a reviewed plan, on or before its review; a plan not yet reviewed is open-ended. So a
    score taken after a plan's review, or on or before its start, changes nothing there."""
    where = Q(pk__in=[])
    for pupil, measure, taken_on in sorted(set(scores)):
        day = _day(taken_on)
        where |= Q(plan__pupil=pupil, plan__outcomes__measure=measure, plan__start_date__lt=day) & (
            ~Q(plan__status=Plan.Status.REVIEWED)
            | Q(plan__reviewed_on__isnull=True)
            | Q(plan__reviewed_on__gte=day)
        )
    return where


def placements_of(*, school_id: int, pupils=(), plans=(), placements=(), scores=()) -> list[int]:
    """Every placement (withdrawn too: they lose their result) of these pupils, plans and
    placements in one school, and those these scores can change (``scores_in_window``), in
    one query."""
    where = Q(pk__in=sorted(placements)) | Q(plan__in=sorted(plans))
    if pupils:
        where |= Q(plan__pupil__in=sorted(pupils))
    if scores:
        where |= scores_in_window(scores)
    found = Placement.objects.filter(where, school=school_id).values_list("pk", flat=True)
    return sorted(set(found))  # an outcome joined for a score's measure can repeat a row


def refresh_noted(
    *, school_id: int, pupils=(), plans=(), placements=(), scores=(), school: bool = False
) -> Refreshed:
    """Work out what ``impact.signals`` noted: these pupils', plans' and placements' results,
    those the scores added or withdrawn can change, or the whole school's (the "now" mode and
    the task both end here)."""
    if school:
        return impact_rebuild(school_id=school_id)
    ids = placements_of(
        school_id=school_id, pupils=pupils, plans=plans, placements=placements, scores=scores
    )
    return results_refresh(school_id=school_id, placement_ids=ids)
