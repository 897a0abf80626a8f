"""The changes to one plan, from its history: every correction (what it read before and after,
who, when, why), withdrawal, and the plan's own changes (review date moved, put in place,
reviewed), newest first. Read from the history tables django-simple-history keeps: a fixed
number of queries however many changes there are."""

from dataclasses import dataclass, field
from datetime import datetime

from sendwise.planning.models import Outcome, Placement, Plan

#: The fields shown, with their labels, for each kind of record.
SHOWN = {
    "plan": {"review_date": "Review due", "status": "Status"},
    "outcome": {
        "text": "Wording",
        "measure_id": "Measure",
        "baseline": "Baseline",
        "baseline_date": "Baseline date",
        "target": "Target",
        "target_date": "Target date",
        "placement_id": "The goal of",
        "withdrawn_reason": "Withdrawn because",
    },
    "placement": {
        "sessions_per_week": "Sessions a week",
        "minutes_per_session": "Minutes a session",
        "weeks": "Weeks",
        "deliverer_id": "Who delivers it",
        "why_chosen": "Why it was chosen",
        "outside_age_reason": "Why outside its age range",
        "response": "How the pupil responded",
        "withdrawn_reason": "Withdrawn because",
    },
}


@dataclass
class Change:
    """One field of a record: what it read before, and after."""

    label: str
    before: str
    after: str


@dataclass
class Correction:
    """One saved change to the plan or one of its outcomes or placements."""

    at: datetime
    who: str
    what: str
    why: str
    changes: list[Change] = field(default_factory=list)


def plan_changes(*, plan: Plan) -> list[Correction]:
    """Every change with a reason to the plan, its outcomes and its placements, newest first
    (adding a record is on the plan page, not here). Three queries."""
    plan_rows = list(
        Plan.history.filter(id=plan.pk).select_related("history_user").order_by("history_id")
    )
    outcome_rows = list(
        Outcome.history.filter(plan_id=plan.pk, school_id=plan.school_id)
        .select_related("history_user", "measure")
        .order_by("id", "history_id")
    )
    placement_rows = list(
        Placement.history.filter(plan_id=plan.pk, school_id=plan.school_id)
        .select_related("history_user", "intervention", "deliverer")
        .order_by("id", "history_id")
    )
    names = _names(outcome_rows, placement_rows)
    found = [
        *_walk(plan_rows, "plan", lambda r: f"Plan {r.cycle}", names),
        *_walk(outcome_rows, "outcome", lambda r: f"Outcome: {r.text[:80]}", names),
        *_walk(placement_rows, "placement", lambda r: f"Support: {r.intervention.name}", names),
    ]
    return sorted(found, key=lambda c: c.at, reverse=True)


def _names(outcome_rows, placement_rows) -> dict:
    """The names the history rows point at by id (joined in their own queries): measures,
    people, the plan's interventions."""
    names = {("placement_id", r.id): r.intervention.name for r in placement_rows}
    names.update({("measure_id", r.measure_id): r.measure.name for r in outcome_rows if r.measure})
    names.update(
        {
            ("deliverer_id", r.deliverer_id): r.deliverer.full_name
            for r in placement_rows
            if r.deliverer
        }
    )
    return names


def _shown(name: str, value, names: dict) -> str:
    if value is None or value == "":
        return "Not set"
    if name == "status":
        return Plan.Status(value).label if value in Plan.Status.values else str(value)
    if name.endswith("_id"):
        return names.get((name, value), "Not known")
    if isinstance(value, float):
        return f"{value:g}"
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return str(value)


def _walk(rows, kind: str, title, names: dict) -> list[Correction]:
    """Each history row with a change reason, against the row before it of the same record."""
    found, before = [], {}
    for row in rows:
        earlier = before.get(row.id)
        before[row.id] = row
        if earlier is None or row.history_type != "~" or not row.history_change_reason:
            continue
        changes = [
            Change(label, _shown(name, getattr(earlier, name), names), _shown(name, getattr(row, name), names))
            for name, label in SHOWN[kind].items()
            if getattr(earlier, name) != getattr(row, name)
        ]  # fmt: skip
        who = row.history_user.full_name if row.history_user else "The system"
        why = row.history_change_reason
        found.append(Correction(row.history_date, who, title(row), why, changes))
    return found
