"""The SEN information report summary for governors: numbers by need and provision, the
interventions run in an academic year, what they achieved and what they cost.

Every count of pupils goes through ``reports.suppression`` before it leaves this module, so the
page, the PDF and the spreadsheet show the same marks. Impact is read from the sums the impact
work keeps (``impact.ImpactAggregate``), never from raw scores; costs are the school's own cost
per pupil (``delivery.Cost``) where it has recorded one, and otherwise say so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.codes import Need, Provision
from sendwise.delivery.models import Attendance, GroupMember
from sendwise.delivery.selectors import costs_list
from sendwise.evidence.codes import Kind
from sendwise.impact.models import GainKind, ImpactAggregate
from sendwise.impact.results import raw_change_words
from sendwise.impact.selectors import review_recorded
from sendwise.planning.models import Placement
from sendwise.pupils.roll_selectors import roll_on
from sendwise.pupils.selectors import SEN_PROVISIONS, pupils_visible
from sendwise.reports import suppression
from sendwise.reports.governor_figures import MeanGain, mean_gain

NOT_RECORDED = "Not yet recorded"
NO_NEED = "Type of need not recorded"
#: The columns of the needs table.
PROVISION_COLUMNS = ((Provision.SEN_SUPPORT, "SEN support"), (Provision.EHC_PLAN, "EHC plan"))


def academic_year(day: date) -> int:
    """The English school year a day falls in, named by its first calendar year (September
    starts a new one): 2026 for 2026/27, as ``impact`` stores it."""
    return day.year if day.month >= 9 else day.year - 1


@dataclass
class MeasureLine:
    measure_name: str
    gain_kind: str
    scored: suppression.Cell
    mean: MeanGain | None
    #: Of the pupils whose change could be judged (the measure has a reliability and an SD).
    reliable: suppression.Share
    #: Of the pupils with sessions recorded (a share of the dose needs a register), which is
    #: not always the pupils with scores: hence the base is named beside the share.
    full_dose: suppression.Share
    #: The measure's scores: True when higher is better, False when lower is (SDQ), None when
    #: not recorded. A raw change is told in words that say which way it went.
    higher_is_better: bool | None = None

    @property
    def change_words(self) -> str:
        """The mean raw change in words that carry its direction (gains are stored signed so
        that + is better): "improved by 2.3 points (the scores fell: lower is better on this
        measure)". Standardised gains are effect sizes and say so in the template."""
        if self.mean is None:
            return ""
        return raw_change_words(self.mean.mean, higher_is_better=self.higher_is_better)

    @property
    def is_effect_size(self) -> bool:
        return self.gain_kind == GainKind.STANDARDISED


@dataclass
class InterventionLine:
    name: str
    pupils: suppression.Cell
    completed: suppression.Cell
    cost_per_pupil: Decimal | None
    measures: list[MeasureLine] = field(default_factory=list)
    #: Pupils it was planned for, when more than had it (some still wait for a place).
    planned: suppression.Cell | None = None

    @property
    def cost_total(self) -> Decimal | None:
        if self.cost_per_pupil is None or self.pupils.hidden:
            return None
        return self.cost_per_pupil * self.pupils.count


@dataclass
class GovernorsSummary:
    school_name: str
    year: int
    #: The day the roll and the needs table describe (today, or a past year's last day).
    as_at: date
    on_roll: suppression.Cell
    needs: list[tuple[str, list[suppression.Cell], suppression.Cell]]
    needs_totals: list[suppression.Cell]
    needs_total: suppression.Cell
    interventions: list[InterventionLine]

    @property
    def year_label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def as_at_words(self) -> str:
        """'on 31 August 2026, the last day of that school year' or 'today, 6 December 2026'."""
        day = f"{self.as_at.day} {self.as_at:%B %Y}"
        if self.as_at == year_end(self.year):
            return f"on {day}, the last day of that school year, as the register recorded them then"
        return f"today, {day}"

    @property
    def columns(self) -> list[str]:
        return [label for _code, label in PROVISION_COLUMNS]


def register_today(*, actor: Actor) -> list[tuple[str, str, int]]:
    """(primary need, provision, pupils) for every pupil on roll today. One query."""
    return list(
        pupils_visible(actor=actor)
        .order_by()
        .values_list("primary_need", "sen_provision")
        .annotate(n=Count("id"))
        .values_list("primary_need", "sen_provision", "n")
    )


def needs_by_provision(rows: list[tuple[str, str, int]]):
    """Pupils with SEN by primary need (rows) and provision (columns), suppressed, from the
    counts of the register (``register_today`` or ``pupils.roll_selectors.roll_on``)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for need, provision, n in rows:
        if provision in SEN_PROVISIONS:
            counts[need or ""][provision] = counts[need or ""].get(provision, 0) + n
    order = [code for code, _label in Need.choices if code in counts]
    if "" in counts:
        order.append("")
    table = suppression.suppress_table(
        [[counts[need].get(code, 0) for code, _l in PROVISION_COLUMNS] for need in order]
    )
    labels = dict(Need.choices)
    needs = [
        (labels.get(need, NO_NEED) if need else NO_NEED, table.cells[i], table.row_totals[i])
        for i, need in enumerate(order)
    ]
    return needs, table.column_totals, table.total


def placed_in_year(*, actor: Actor, year: int) -> dict[int, dict]:
    """Targeted interventions planned in the school year (their plan started in it), with the
    pupils who had them: a pupil had an intervention when they were placed in a group running
    it or came to at least one of its sessions (a pupil still waiting for a place did not), the
    same rule as the provision map's; those of them whose plan's review was held and recorded
    (``impact.selectors.review_recorded``, the one meaning of "reviewed"); and every
    pupil it was planned for. One query. Withdrawn placements (entered by mistake) do not
    count."""
    start, end = date(year, 9, 1), date(year + 1, 8, 31)
    in_group = GroupMember.objects.filter(placement=OuterRef("pk"))
    came = Attendance.objects.filter(placement=OuterRef("pk")).exclude(
        status=Attendance.Status.ABSENT
    )
    had = Q(had=True)
    rows = (
        Placement.objects.standing()
        .filter(
            school=actor.school,
            plan__start_date__range=(start, end),
            intervention__kind=Kind.TARGETED,
        )
        .annotate(had=Exists(in_group) | Exists(came), review_recorded=review_recorded())
        .values("intervention_id", "intervention__name")
        .annotate(
            planned=Count("plan__pupil", distinct=True),
            pupils=Count("plan__pupil", distinct=True, filter=had),
            completed=Count("plan__pupil", distinct=True, filter=had & Q(review_recorded=True)),
        )
    )
    return {
        r["intervention_id"]: {
            "name": r["intervention__name"], "pupils": r["pupils"], "completed": r["completed"],
            "planned": r["planned"], "measures": {},
        }
        for r in rows
    }  # fmt: skip


def interventions_run(*, actor: Actor, year: int) -> list[InterventionLine]:
    """Each intervention with pupils placed in the year (from the plans), what it achieved on
    each measure (from the impact sums), and its cost where recorded. Three queries."""
    placed = placed_in_year(actor=actor, year=year)
    aggregates = (
        ImpactAggregate.objects.filter(school=actor.school, academic_year=year)
        .select_related("intervention", "measure")
        .order_by("intervention__name", "intervention_id", "measure__name")
    )
    costs = {c.intervention_id: c.per_pupil for c in costs_list(actor=actor)}
    by_intervention: dict[int, dict] = dict(placed)
    for row in aggregates:
        entry = by_intervention.setdefault(
            row.intervention_id,
            {
                "name": row.intervention.name,
                "pupils": 0,
                "completed": 0,
                "measures": {},
                "from_sums": True,
            },
        )
        if entry.get("from_sums"):  # no placement rows read (impact counted them): use its counts
            entry["pupils"] += row.placements
            entry["completed"] += row.completed
        if row.measure_id is None or not row.scored:
            continue
        key = (row.measure_id, row.gain_kind)  # one measure, one line: never mixed
        sums = entry["measures"].setdefault(
            key,
            {
                "name": row.measure.name,
                "kind": row.gain_kind,
                "higher_is_better": row.measure.higher_is_better,
                "n": 0,
                "s": 0.0,
                "ss": 0.0,
                "judged": 0,
                "improved": 0,
                "dose_n": 0,
                "full": 0,
            },
        )
        sums["n"] += row.scored
        sums["s"] += row.gain_sum
        sums["ss"] += row.gain_sq_sum
        sums["judged"] += row.reliable_judged
        sums["improved"] += row.reliable_improved
        sums["dose_n"] += row.dose_n
        sums["full"] += row.full_dose
    lines = []
    for intervention_id, entry in sorted(by_intervention.items(), key=lambda kv: kv[1]["name"]):
        planned = entry.get("planned")
        pupils = suppression.suppress_count(entry["pupils"])
        line = InterventionLine(
            name=entry["name"],
            pupils=pupils,
            # A part of the pupils shown beside it: "6; reviewed: 5" would tell that one was not.
            completed=suppression.suppress_part(entry["completed"], of=pupils),
            cost_per_pupil=costs.get(intervention_id),
            # Only when some it was planned for are still waiting: "of 17 planned". The number
            # waiting is never shown, as with the total it would give a hidden count away.
            planned=(
                suppression.suppress_count(planned)
                if planned is not None and planned > entry["pupils"]
                else None
            ),
        )
        for sums in entry["measures"].values():
            scored = suppression.suppress_count(sums["n"])
            line.measures.append(
                MeasureLine(
                    measure_name=sums["name"],
                    gain_kind=sums["kind"],
                    scored=scored,
                    mean=mean_gain(sums["n"], sums["s"], sums["ss"]),
                    reliable=suppression.suppress_share(
                        sums["improved"], sums["judged"], base=scored
                    ),
                    full_dose=suppression.suppress_share(sums["full"], sums["dose_n"], base=scored),
                    higher_is_better=sums["higher_is_better"],
                )
            )
        lines.append(line)
    return lines


def year_end(year: int) -> date:
    """The last day of the school year starting in September of ``year``."""
    return date(year + 1, 8, 31)


def governors_summary(*, actor: Actor, year: int | None = None) -> GovernorsSummary:
    """The whole summary for the actor's school (five queries). The roll and the needs are those
    of one day: today for the school year under way; for a past year its last day (31 August),
    read from the pupils' history, so a past year's report counts who was on roll then, with
    the provision and need recorded then (the caller refuses years before the school's records
    begin: ``pupils.roll_selectors.records_begin``)."""
    today = timezone.localdate()
    year = year if year is not None else academic_year(today)
    if year_end(year) < today:
        as_at = year_end(year)
        register = roll_on(actor=actor, day=as_at)
    else:
        as_at = today
        register = register_today(actor=actor)
    needs, totals, total = needs_by_provision(register)
    return GovernorsSummary(
        school_name=actor.school.name,
        year=year,
        as_at=as_at,
        on_roll=suppression.suppress_count(sum(n for _need, _provision, n in register)),
        needs=needs,
        needs_totals=totals,
        needs_total=total,
        interventions=interventions_run(actor=actor, year=year),
    )
