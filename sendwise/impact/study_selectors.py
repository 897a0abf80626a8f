"""Reads for the local studies on an intervention's page, and the adaptations that helped in the
trust's other schools.

**A finished group is a local study.** A delivery group of the actor's school running the
intervention is *finished* when it has had pupils and none is still in it: it was ended (the
SENCO archives it, and everyone leaves), or every pupil's plan was reviewed (the review frees
the place). From then on no session is added and each pupil's results are as complete as they
will be. A group that still has a pupil in it is still running, and is not a study yet.

Its figures are worked out by the pure ``impact.local_study`` from the ``PlacementResult`` rows
of the placements that were in the group (withdrawn placements have no row, so they never count).
Rule: only the actor's school's groups, results and notes are read.

**Small studies.** Staff who see every pupil of the school (the SENCO, the head, the
administrator) see every figure. Other staff (teachers, intervention specialists) see a
measure's figures only from 5 pupils with both scores (``core.disclosure.THRESHOLD``): below
that a mean is close to a named pupil's own scores, which they may not be allowed to see
(ADR 6); they see the counts and why the figures are withheld, and the pooled line of that measure is
withheld too (the pool less the other studies would give the small one back).

**Adaptations across a trust.** A practitioner's adaptation that helped, recorded in another
school of the actor's trust for a group of at least 5 different pupils, is shown without the
names of the person who recorded it, the group or any pupil (the school is named, so that staff
can ask). The threshold is the one every figure shown outside a school follows
(``core.disclosure.THRESHOLD``: counts of 1 to 4 pupils are suppressed, after the DfE's and the
Government Statistical Service's statistical disclosure control guidance): an adaptation tried
with fewer pupils says too little to share and could point at one child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.http import Http404

from sendwise.core.access import Actor
from sendwise.core.disclosure import THRESHOLD
from sendwise.core.roles import WHOLE_SCHOOL_ROLES
from sendwise.delivery.models import Adaptation, Group, GroupMember
from sendwise.evidence.models import Intervention
from sendwise.impact import local_study
from sendwise.impact.study_models import LocalStudyNote

#: Why a small study's figures are withheld from staff who do not see every pupil.
SMALL_STUDY = (
    "its figures would be those pupils' own scores, so only the SENCO, the head and the "
    "school administrator, who see every pupil's record, see them."
)

#: Adaptations from the trust's other schools shown on one page (the newest first).
TRUST_ADAPTATIONS_ON_PAGE = 10

RESULT_FIELDS = (
    "placement__result__pupil_id",
    "placement__result__measure_id",
    "placement__result__measure__name",
    "placement__result__gain_kind",
    "placement__result__pre",
    "placement__result__post",
    "placement__result__gain",
    "placement__result__dose_share",
    "placement__result__completed",
    "placement__result__reliable",
)


@dataclass(frozen=True)
class LocalStudy:
    group_id: int
    name: str
    started: date | None
    ended: date | None
    summary: local_study.StudySummary
    note: LocalStudyNote | None

    @property
    def not_representative(self) -> bool:
        return self.note is not None and self.note.not_representative


@dataclass(frozen=True)
class LocalStudies:
    counted: tuple[LocalStudy, ...]
    set_aside: tuple[LocalStudy, ...]
    #: The counted studies' pupils together, one line per measure (None with no counted study).
    pooled: local_study.StudySummary | None
    running: int  # groups of the intervention still running, for the empty state


def _finished_groups(*, actor: Actor, intervention: Intervention, group_id: int | None = None):
    groups = Group.objects.filter(school=actor.school, intervention=intervention)
    if group_id is not None:
        groups = groups.filter(pk=group_id)
    return list(
        groups.annotate(
            members_n=Count("members"),
            still_in=Count("members", filter=Q(members__left_on__isnull=True)),
            started=Min("members__joined_on"),
            ended=Max("members__left_on"),
        )
        .filter(members_n__gt=0)
        .only("id", "name")
        .order_by("-ended", "name", "id")
    )


def _rows_by_group(*, actor: Actor, group_ids: list[int]) -> dict[int, list]:
    rows: dict[int, dict[int, local_study.ResultRow]] = {g: {} for g in group_ids}
    members = (
        GroupMember.objects.filter(
            school=actor.school, group_id__in=group_ids, placement__result__isnull=False
        )
        .order_by("id")
        .values_list("group_id", "placement_id", *RESULT_FIELDS)
    )
    for (
        group_id,
        placement_id,
        pupil,
        measure,
        name,
        kind,
        pre,
        post,
        gain,
        share,
        done,
        rel,
    ) in members:
        # A pupil who left and rejoined the group has two member rows: one result.
        rows[group_id][placement_id] = local_study.ResultRow(
            pupil=pupil,
            measure=measure,
            measure_name=name or "",
            gain_kind=kind,
            pre=pre,
            post=post,
            gain=gain,
            dose_share=share,
            completed=done,
            reliable=rel,
        )
    return {g: list(by_placement.values()) for g, by_placement in rows.items()}


def local_studies(*, actor: Actor, intervention: Intervention) -> LocalStudies:
    """The finished groups of the actor's school for this intervention, each a local study;
    those the SENCO marked not representative apart, and left out of the pooled lines. Three
    queries whatever the number of groups and pupils."""
    empty = LocalStudies((), (), None, 0)
    if actor.school is None:
        return empty
    groups = _finished_groups(actor=actor, intervention=intervention)
    finished = [g for g in groups if g.still_in == 0]
    running = len(groups) - len(finished)
    if not finished:
        return LocalStudies((), (), None, running)
    ids = [g.pk for g in finished]
    rows = _rows_by_group(actor=actor, group_ids=ids)
    notes = {
        n.group_id: n for n in LocalStudyNote.objects.filter(school=actor.school, group_id__in=ids)
    }
    studies = [
        LocalStudy(
            group_id=g.pk,
            name=g.name,
            started=g.started,
            ended=g.ended,
            summary=_for_reader(actor, local_study.summarise(rows[g.pk])),
            note=notes.get(g.pk),
        )
        for g in finished
        if rows[g.pk]
    ]
    counted = tuple(s for s in studies if not s.not_representative)
    set_aside = tuple(s for s in studies if s.not_representative)
    pooled = None
    if counted:
        # A measure withheld in one study is withheld in the pool too (secondary suppression).
        withheld = frozenset(
            line.measure for s in counted for line in s.summary.lines if line.suppressed
        )
        pooled = _for_reader(
            actor,
            local_study.summarise(r for s in counted for r in rows[s.group_id]),
            also=withheld,
        )
    return LocalStudies(counted, set_aside, pooled, running)


def _for_reader(
    actor: Actor, summary: local_study.StudySummary, also: frozenset = frozenset()
) -> local_study.StudySummary:
    """Every figure for staff who see every pupil; from 5 pupils a line for other staff."""
    if actor.roles & WHOLE_SCHOOL_ROLES:
        return summary
    return local_study.restrict(summary, minimum=THRESHOLD, reason=SMALL_STUDY, also=also)


def set_aside_placements(*, school_id: int):
    """The placements in groups of the school set aside as not representative, as a subquery
    (for the school's pooled figure, which leaves them out)."""
    return GroupMember.objects.filter(
        school_id=school_id,
        group__study_note__not_representative=True,
    ).values("placement_id")


def local_study_get(*, actor: Actor, intervention: Intervention, group_id: int) -> LocalStudy:
    """One finished group of the actor's school for this intervention as a local study, or 404
    (missing, another school's, still running, or with no pupil's result alike)."""
    if actor.school is None:
        raise Http404("No such local study")
    groups = [
        g
        for g in _finished_groups(actor=actor, intervention=intervention, group_id=group_id)
        if g.still_in == 0
    ]
    if not groups:
        raise Http404("No such local study")
    group = groups[0]
    rows = _rows_by_group(actor=actor, group_ids=[group.pk])[group.pk]
    if not rows:
        raise Http404("No such local study")
    note = LocalStudyNote.objects.filter(school=actor.school, group_id=group.pk).first()
    return LocalStudy(
        group.pk,
        group.name,
        group.started,
        group.ended,
        _for_reader(actor, local_study.summarise(rows)),
        note,
    )


@dataclass(frozen=True)
class SharedAdaptation:
    """An adaptation that helped in another school of the trust, with no person named."""

    school: str
    kind: str
    what: str
    why: str
    recorded: date
    pupils: int


def trust_adaptations(*, actor: Actor, intervention: Intervention) -> list[SharedAdaptation] | None:
    """Adaptations that helped with this intervention in the trust's other schools, each from a
    group of at least ``THRESHOLD`` different pupils; newest first, one query. None for a
    school in no trust (nothing to share with)."""
    school = actor.school
    if school is None or school.trust_id is None:
        return None
    pupils = (
        GroupMember.objects.filter(group_id=OuterRef("group_id"))
        .values("group_id")
        .annotate(n=Count("placement__plan__pupil_id", distinct=True))
        .values("n")
    )
    found = (
        Adaptation.objects.filter(
            intervention=intervention,
            result=Adaptation.Result.HELPED,
            school__trust_id=school.trust_id,
            group__isnull=False,
        )
        .exclude(school=school)
        .annotate(pupils=Subquery(pupils))
        .filter(pupils__gte=THRESHOLD)
        .select_related("school")
        .only("kind", "what", "why", "recorded_on", "school__name")
        .order_by("-recorded_on", "-id")[:TRUST_ADAPTATIONS_ON_PAGE]
    )
    return [
        SharedAdaptation(
            school=a.school.name,
            kind=a.get_kind_display(),
            what=a.what,
            why=a.why,
            recorded=a.recorded_on,
            pupils=a.pupils,
        )
        for a in found
    ]
