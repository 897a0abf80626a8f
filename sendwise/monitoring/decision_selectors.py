"""Reads for the pupils who need a decision: the decision-rule flags that ask for one, one row
a pupil, only for pupils the actor may see (``pupils_visible``): every pupil of the school for
the SENCO and the head, their groups' pupils for an intervention specialist, their class for a
teacher. A fixed number of queries whatever the number of pupils.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet

from sendwise.core.access import Actor
from sendwise.evidence.models import Intervention
from sendwise.monitoring.models import Flag
from sendwise.pupils.selectors import pupils_visible

# Reasons a pupil needs a decision, in the order a row shows them: the most pressing first.
# Dose comes straight after "not responding": a pupil who missed the support cannot be judged
# on it (EEF, "Making Best Use of Teaching Assistants", recommendation 5).
NOT_RESPONDING, LOW_DOSE, NO_SCORE, REVIEW_OVERDUE, AHEAD = (
    "not_responding",
    "low_dose",
    "no_score",
    "review_overdue",
    "ahead",
)
REASONS = [
    (NOT_RESPONDING, "Not responding to the support"),
    (LOW_DOSE, "Dose below 80% of planned, or not started"),
    (NO_SCORE, "No recent score"),
    (REVIEW_OVERDUE, "Review overdue"),
    (AHEAD, "Ahead of the goal"),
]
ORDER = {code: n for n, (code, _) in enumerate(REASONS)}
SORTS = [
    ("reason", "Most pressing reason first"),
    ("waiting", "Waiting longest first"),
    ("name", "Surname"),
    ("class", "Class"),
]


@dataclass(frozen=True)
class DecisionFilters:
    reason: str = ""
    class_group: int | None = None
    intervention: int | None = None
    sort: str = "reason"


@dataclass
class Reason:
    code: str
    sentence: str
    intervention: str
    outcome_id: int | None
    since: datetime


@dataclass
class DecisionRow:
    pupil_id: int
    name: str
    surname: str
    class_name: str
    reasons: list[Reason] = field(default_factory=list)

    @property
    def main(self) -> Reason:
        return self.reasons[0]

    @property
    def others(self) -> list[Reason]:
        return self.reasons[1:]

    @property
    def since(self) -> datetime:
        """Since when the pupil has needed a decision (their oldest flag that needs one)."""
        return min(r.since for r in self.reasons)


def decision_flags(*, actor: Actor) -> QuerySet[Flag]:
    """Flags that need a decision, of pupils the actor may see, in their school."""
    if actor.user is None or actor.school is None:
        return Flag.objects.none()
    # A flag about an outcome or placement withdrawn since it was judged (entered by mistake)
    # is left out at once; the next check clears it.
    return Flag.objects.filter(
        school=actor.school, needs_decision=True, pupil__in=pupils_visible(actor=actor)
    ).exclude(Q(outcome__withdrawn_at__isnull=False) | Q(placement__withdrawn_at__isnull=False))


def decisions_count(*, actor: Actor) -> int:
    """How many pupils need a decision (for the home page). One query."""
    return decision_flags(actor=actor).values("pupil_id").distinct().count()


def decisions_for(*, actor: Actor, filters: DecisionFilters) -> list[DecisionRow]:
    """One row a pupil who needs a decision, with every reason in one sentence each (the most
    pressing first), filtered and sorted. One query, read as plain values (no model rows).

    Names: the flags are limited to ``pupils_visible``, the selector ``pupil_labels`` is built
    on, so every row is a pupil this person may see by name; no neutral label is needed."""
    flags = decision_flags(actor=actor)
    if filters.reason == AHEAD or filters.reason == NOT_RESPONDING:
        flags = flags.filter(kind=Flag.Kind.PROGRESS, verdict=filters.reason)
    elif filters.reason:
        flags = flags.filter(kind=filters.reason)
    if filters.class_group:
        flags = flags.filter(pupil__class_group_id=filters.class_group)
    if filters.intervention:
        flags = flags.filter(intervention_id=filters.intervention)
    values = flags.order_by("pupil_id", "id").values_list(
        "pupil_id", "pupil__first_name", "pupil__last_name", "pupil__class_group__name",
        "outcome_id", "kind", "verdict", "reason", "decision_since", "intervention__name",
    )  # fmt: skip
    rows: dict[int, DecisionRow] = {}
    for pupil_id, first, last, class_name, outcome_id, kind, verdict, reason, at, name in values:
        row = rows.get(pupil_id)
        if row is None:
            row = rows[pupil_id] = DecisionRow(
                pupil_id=pupil_id, name=f"{first} {last}", surname=last,
                class_name=class_name or "",
            )  # fmt: skip
        code = verdict if kind == Flag.Kind.PROGRESS else kind
        row.reasons.append(Reason(code, reason, name or "", outcome_id, at))
    for row in rows.values():
        row.reasons.sort(key=lambda r: (ORDER.get(r.code, 99), r.since))
    return sorted(rows.values(), key=_sort_key(filters.sort))


def _sort_key(sort: str):
    by_name = lambda r: (r.surname.lower(), r.name.lower(), r.pupil_id)  # noqa: E731
    if sort == "name":
        return by_name
    if sort == "class":
        return lambda r: (r.class_name.lower(), *by_name(r))
    if sort == "waiting":
        return lambda r: (r.since, *by_name(r))
    return lambda r: (ORDER.get(r.main.code, 99), r.since, *by_name(r))


def decision_interventions(*, actor: Actor) -> QuerySet[Intervention]:
    """The interventions the actor's decision flags are about, for the filter. One query."""
    ids = decision_flags(actor=actor).exclude(intervention=None).values("intervention_id")
    return Intervention.objects.filter(pk__in=ids).only("id", "name").order_by("name")
