"""Reads for entering a group's scores at once: the group (only for those who may record its
sessions), its members as the reader may see them, the measure their outcomes use, and each
member's last score on it. A fixed number of queries whatever the size of the group."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from sendwise.core.access import Actor
from sendwise.delivery.models import Group, GroupMember
from sendwise.delivery.session_selectors import registers_visible
from sendwise.delivery.session_services import may_record
from sendwise.evidence.models import Measure
from sendwise.monitoring.models import Score
from sendwise.planning.models import Outcome
from sendwise.pupils.selectors import PupilLabel, pupil_labels


@dataclass
class MemberRow:
    """One member of the group on the scores page. ``pupil.pupil_id`` is None where the reader
    may not see the pupil: the row shows the neutral label, no last score and no box."""

    member: GroupMember
    pupil: PupilLabel
    last: Score | None = None

    @property
    def shown(self) -> bool:
        return self.pupil.pupil_id is not None

    @property
    def field_name(self) -> str:
        return f"member_{self.member.pk}"


def scores_group_get(*, actor: Actor, group_id: int) -> Group:
    """A running group whose scores the actor may enter (its runner or a SENCO), or 404 for
    missing, ended and forbidden alike. One query."""
    group = (
        registers_visible(actor=actor)
        .filter(pk=group_id, archived=False)
        .select_related("intervention")
        .first()
    )
    if group is None or not may_record(actor, group):
        raise Http404("No such group")
    return group


def current_members(*, group: Group) -> list[GroupMember]:
    """The pupils in the group now, by surname. One query."""
    return list(
        GroupMember.objects.filter(school=group.school_id, group=group, left_on__isnull=True)
        .select_related("placement__plan__pupil")
        .order_by("placement__plan__pupil__last_name", "placement__plan__pupil__first_name", "id")
    )


def usual_measure_id(*, group: Group, members: list[GroupMember]) -> int | None:
    """The measure most of the members' current outcomes for this group's placement are on
    (the goal set for the intervention), else None. A goal in a member's plan that names no
    intervention (``placement`` unset) counts too: it is often the goal the group works on.
    One query (none for an empty group)."""
    if not members:
        return None
    counts = Counter(
        Outcome.objects.current()
        .filter(
            Q(placement_id__in=[m.placement_id for m in members])
            | Q(placement__isnull=True, plan_id__in={m.placement.plan_id for m in members}),
            school=group.school_id,
            measure__isnull=False,
        )
        .values_list("measure_id", flat=True)
    )
    if not counts:
        return None
    # Most outcomes first; on a tie the measure added first, so the choice is stable.
    return min(counts, key=lambda measure_id: (-counts[measure_id], measure_id))


def measures() -> list[Measure]:
    """Every measure a score can be on, by name (the shared catalogue of measures). One query."""
    return list(Measure.objects.order_by("name"))


def member_rows(
    *, actor: Actor, group: Group, members: list[GroupMember], measure: Measure | None
) -> list[MemberRow]:
    """Each member with their label and, where shown, their last current score on
    ``measure``. Two queries (the labels; the scores)."""
    labels = pupil_labels(actor=actor, pupils=[m.placement.plan.pupil for m in members])
    rows = [MemberRow(m, labels[m.placement.plan.pupil_id]) for m in members]
    shown = [r.pupil.pupil_id for r in rows if r.shown]
    if measure is None or not shown:
        return rows
    last: dict[int, Score] = {}
    for score in (
        Score.objects.current()
        .filter(school=group.school_id, measure=measure, pupil_id__in=shown)
        .order_by("pupil_id", "-taken_on", "-id")
    ):
        last.setdefault(score.pupil_id, score)
    for row in rows:
        row.last = last.get(row.pupil.pupil_id) if row.shown else None
    return rows
