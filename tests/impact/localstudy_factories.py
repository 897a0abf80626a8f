"""Finished groups with their pupils' placement results, written directly (the impact branch's
code fills ``PlacementResult`` from scores and sessions; these tests only need the rows)."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from sendwise.evidence.models import Measure
from sendwise.impact.models import GainKind, PlacementResult, Term
from tests.delivery.factories import add_member, make_group, on_plan
from tests.evidence.factories import own_intervention
from tests.factories import PupilFactory

START = date(2025, 9, 8)
END = START + timedelta(weeks=12)


def reading_test() -> Measure:
    measure, _ = Measure.objects.get_or_create(
        slug="study-reading-ss",
        defaults={
            "name": "Reading test", "kind": "standardised", "mean": 100, "sd": 15,
            "higher_is_better": True, "reliability": 0.9,
        },
    )  # fmt: skip
    return measure


def words_probe() -> Measure:
    measure, _ = Measure.objects.get_or_create(
        slug="study-words-probe",
        defaults={
            "name": "Words read a minute",
            "kind": "curriculum_probe",
            "higher_is_better": True,
        },
    )
    return measure


def result_for(placement, *, measure=None, pre=None, post=None, gain=None, kind=None,
               dose_share=0.9, completed=True, reliable=""):  # fmt: skip
    """The placement's result row: ``gain`` defaults to (post − pre) / 15 on a standardised
    measure and post − pre otherwise; no post means no gain (missing)."""
    if gain is None and pre is not None and post is not None:
        gain = (post - pre) / 15 if measure and measure.kind == "standardised" else post - pre
    if kind is None and measure is not None:
        kind = GainKind.STANDARDISED if measure.kind == "standardised" else GainKind.RAW
    pupil = placement.plan.pupil
    # update_or_create: where the upkeep already worked a result out (a browser test's
    # committed saves run impact's on_commit listeners), these figures replace it.
    result, _ = PlacementResult.objects.update_or_create(placement=placement, defaults={
        "school": placement.school, "pupil": pupil,
        "intervention": placement.intervention, "academic_year": 2025, "term": Term.AUTUMN,
        "measure": measure, "pre": pre, "pre_on": START if pre is not None else None, "post": post,
        "post_on": END if post is not None else None, "gain_kind": kind or "", "gain": gain,
        "reliable": reliable, "sessions_planned": 12, "sessions_held": 12,
        "sessions_attended": round(12 * dose_share) if dose_share is not None else 0,
        "dose_share": dose_share, "completed": completed, "nc_year": pupil.nc_year,
    })  # fmt: skip
    return result


def finished_group(school, intervention, scores, *, measure=None, name="Autumn group",
                   still_in=0, dose_share=0.9, pupils=None):  # fmt: skip
    """A group whose pupils have all left (``still_in`` of them have not), one pupil per
    (pre, post) in ``scores`` (post None: no later score), each with a result on ``measure``
    (the reading test by default). Returns (group, placements)."""
    measure = measure or reading_test()
    group = make_group(school, intervention, name=name, places=max(len(scores), 1))
    placements = []
    for n, (pre, post) in enumerate(scores):
        pupil = pupils[n] if pupils else PupilFactory(school=school)
        placement = on_plan(pupil, intervention, start=START)
        member = add_member(group, placement, joined_on=START)
        if n >= still_in:
            member.left_on = END
            member.save(update_fields=["left_on"])
        result_for(placement, measure=measure, pre=pre, post=post, dose_share=dose_share)
        placements.append(placement)
    return group, placements


def local_study_url(name: str, world) -> str:
    """For the authorization matrix: a finished group of the first school's own intervention
    (another school's SENCO gets 404 at the intervention already)."""
    intervention = own_intervention(world)
    group = intervention.groups.filter(name="Matrix study").first()
    if group is None:
        group, _ = finished_group(
            world.school, intervention, [(85, 92), (88, 95), (80, 83)], name="Matrix study"
        )
    return reverse(name, kwargs={"slug": intervention.slug, "group_id": group.pk})
