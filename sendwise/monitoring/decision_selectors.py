"""Reads for the pupils who need a decision: the decision-rule flags that ask for one, one row
a pupil, only for pupils the actor may see (``pupils_visible``): every pupil of the school for
the SENCO and the head, their groups' pupils for an intervention specialist, their class for a
teacher. A fixed number of queries whatever the number of pupils.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q, QuerySet

from sendwise.core.access import Actor
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


@dataclass(slots=True)
class Reason:
    code: str
    sentence: str
    intervention: str
    outcome_id: int | None
    since: datetime


@dataclass(slots=True)
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


class DecisionFlag(NamedTuple):
    """One flag that needs a decision, read as plain values (no model rows; a tuple, the
    cheapest row Python makes: a school has a few hundred)."""

    pupil_id: int
    first_name: str
    last_name: str
    class_group_id: int | None
    class_name: str | None
    outcome_id: int | None
    kind: str
    verdict: str
    reason: str
    since: datetime
    intervention_id: int | None
    intervention: str | None

    @property
    def code(self) -> str:
        """The reason's code: the verdict of a progress flag (not responding, ahead), else
        the kind of flag."""
        return self.verdict if self.kind == Flag.Kind.PROGRESS else self.kind


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


#: The columns of a ``DecisionFlag``, in its order.
_FLAG_FIELDS = (
    "pupil_id", "pupil__first_name", "pupil__last_name", "pupil__class_group_id",
    "pupil__class_group__name", "outcome_id", "kind", "verdict", "reason", "decision_since",
    "intervention_id", "intervention__name",
)  # fmt: skip
_SINCE = _FLAG_FIELDS.index("decision_since")


def decision_flag_values(*, actor: Actor) -> list[DecisionFlag]:
    """Every flag that needs a decision about a pupil the actor may see, as plain values: the
    page filters, sorts and lists its interventions from these (a school's flags that need a
    decision are a few hundred at most). One query.

    Names: the flags are limited to ``pupils_visible``, the selector ``pupil_labels`` is built
    on, so every row is a pupil this person may see by name; no neutral label is needed.

    The query is the ORM's (the same scoping, the same SQL), its rows read straight from the
    cursor: through the queryset each row also went through the ORM's converters, a generator
    step and a check per column, which took longer than the query itself on a school's few
    hundred flags (benchmarks/dashboard.py). The one column that needs converting is the date,
    which SQLite's driver gives without its time zone (Django keeps it in UTC there, the
    connection's zone); PostgreSQL's gives it with one."""
    queryset = decision_flags(actor=actor).order_by("pupil_id", "id").values_list(*_FLAG_FIELDS)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # nobody this actor may see: the ORM sends no query either
        return []
    database = connections[queryset.db]
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if settings.USE_TZ and any(r[_SINCE] is not None and r[_SINCE].tzinfo is None for r in rows):
        zone = database.timezone
        rows = [
            (*r[:_SINCE], r[_SINCE].replace(tzinfo=zone), *r[_SINCE + 1 :])
            if r[_SINCE] is not None and r[_SINCE].tzinfo is None
            else r
            for r in rows
        ]
    flags = list(map(DecisionFlag._make, rows))
    return flags


def interventions_of(flags: list[DecisionFlag]) -> list[tuple[int, str]]:
    """The interventions these flags are about (id, name), by name, for the filter."""
    named = {f.intervention_id: f.intervention for f in flags if f.intervention_id is not None}
    return sorted(named.items(), key=lambda item: (item[1], item[0]))


def decision_rows(flags: list[DecisionFlag], filters: DecisionFilters) -> list[DecisionRow]:
    """One row a pupil among ``flags`` (from ``decision_flag_values``) that pass ``filters``,
    with every reason in one sentence each (the most pressing first), sorted."""
    rows: dict[int, DecisionRow] = {}
    for flag in flags:
        code = flag.code
        if filters.reason and code != filters.reason:
            continue
        if filters.class_group and flag.class_group_id != filters.class_group:
            continue
        if filters.intervention and flag.intervention_id != filters.intervention:
            continue
        row = rows.get(flag.pupil_id)
        if row is None:
            row = rows[flag.pupil_id] = DecisionRow(
                pupil_id=flag.pupil_id, name=f"{flag.first_name} {flag.last_name}",
                surname=flag.last_name, class_name=flag.class_name or "",
            )  # fmt: skip
        row.reasons.append(
            Reason(code, flag.reason, flag.intervention or "", flag.outcome_id, flag.since)
        )
    for row in rows.values():
        if len(row.reasons) > 1:  # most pupils have one reason
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
