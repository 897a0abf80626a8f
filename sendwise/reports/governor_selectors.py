"""The SEN information report summary for governors: numbers by need and provision, the
interventions run in an academic year, what they achieved and what they cost.

Every count of pupils goes through ``reports.suppression`` before it leaves this module, so the
page, the PDF and the spreadsheet show the same marks. Impact is read from the sums the impact
work keeps (``impact.ImpactAggregate``, placed pupils only), never from raw scores. Cost is what
was spent in the school year up to the day the summary describes, as the provision map works it
out (``delivery.provision_selectors.provision_map``: sessions delivered × the deliverer's hourly
cost, plus materials and licences), never the school's estimate of a place (ADR 0026).
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
from sendwise.delivery.provision import school_year
from sendwise.delivery.provision_selectors import provision_map
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


@dataclass(frozen=True)
class Spent:
    """What an intervention cost in the year up to the summary's day, from the provision map:
    staff time of the sessions delivered at the school's hourly costs, and materials and
    licences. ``staff_known`` False: some deliverer's pay band has no hourly cost, so no total
    is given (it would be too low). ``per_pupil`` is shared among the pupils in its groups in
    the year, given only from 5 of them (money ÷ a share would give a small count away)."""

    to_date: Decimal
    staff: Decimal
    materials: Decimal
    staff_known: bool
    per_pupil: Decimal | None

    @property
    def words(self) -> str:
        if not self.staff_known:
            return (
                "staff time not costed (a deliverer's pay band has no hourly cost on the "
                f"costs page); materials and licences £{self.materials:,.2f}"
            )
        text = (
            f"£{self.to_date:,.2f} spent (staff time £{self.staff:,.2f}, materials and "
            f"licences £{self.materials:,.2f})"
        )
        if self.per_pupil is not None:
            text += f", about £{self.per_pupil:,.2f} for each pupil in its groups"
        return text


def spent(row, *, share: bool = True) -> Spent:
    """A provision map's intervention row (``provision.InterventionCost``) as governors read
    it; ``share`` False for the total of several interventions (a pupil in two counts twice)."""
    per_pupil = None
    if share and row.staff_known and row.pupils >= suppression.THRESHOLD:
        per_pupil = (row.to_date / row.pupils).quantize(Decimal("0.01"))
    return Spent(
        to_date=row.to_date.quantize(Decimal("0.01")),
        staff=row.staff.quantize(Decimal("0.01")),
        materials=row.materials.quantize(Decimal("0.01")),
        staff_known=row.staff_known,
        per_pupil=per_pupil,
    )


@dataclass
class InterventionLine:
    name: str
    pupils: suppression.Cell
    completed: suppression.Cell
    #: None: nothing delivered or bought for it in the year (no session, no materials).
    cost: Spent | None
    measures: list[MeasureLine] = field(default_factory=list)
    #: Pupils it was planned for, when more than had it (some still wait for a place).
    planned: suppression.Cell | None = None


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
    #: Every intervention's cost in the year to ``as_at`` (the provision map's total), with
    #: those not listed above (their pupils' plans started in an earlier year).
    cost_total: Spent | None = None

    @property
    def cost_basis(self) -> str:
        """How the costs were worked out, said beside them on the page, the PDF and the XLSX."""
        return (
            f"Costs are what was spent in {self.year_label} up to {self.as_at.day} "
            f"{self.as_at:%B %Y}, worked out as the provision map does: each session delivered "
            "costs its minutes at the hourly cost (on-costs included) of the pay band of the "
            "person who ran it, as set on the costs page, and materials and licences are added "
            "as bought. It is not the estimate of a place entered before places start, and it "
            "does not include sessions still to come."
        )

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


def interventions_run(*, actor: Actor, year: int, costs: dict) -> list[InterventionLine]:
    """Each intervention with pupils placed in the year (from the plans), what it achieved on
    each measure (from the impact sums), and what it cost (``costs``: the provision map's rows
    by intervention id). Two queries."""
    placed = placed_in_year(actor=actor, year=year)
    aggregates = (
        ImpactAggregate.objects.filter(school=actor.school, academic_year=year)
        .select_related("intervention", "measure")
        .order_by("intervention__name", "intervention_id", "measure__name")
    )
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
            entry["pupils"] += row.placements  # pupils placed: those waiting are apart
            entry["completed"] += row.completed
            entry["planned"] = entry.get("planned", 0) + row.placements + row.waiting
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
            cost=spent(costs[intervention_id]) if intervention_id in costs else None,
            # Only when some it was planned for are still waiting: "of 17 planned". The number
            # waiting is never shown, and the number planned for is hidden when it and the
            # pupils shown beside it would give a waiting count of 1 to 4 away ("14 of 17").
            planned=(
                suppression.Cell(
                    planned,
                    suppression.small(planned) or suppression.small(planned - entry["pupils"]),
                )
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
    """The whole summary for the actor's school (four queries and the provision map's). The roll and the needs are those
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
    # The provision map of the school year, up to the day described (eleven queries).
    costed = provision_map(actor=actor, period=school_year(year), today=as_at)
    costs = {row.intervention_id: row for row in costed.result.interventions}
    return GovernorsSummary(
        school_name=actor.school.name,
        year=year,
        as_at=as_at,
        on_roll=suppression.suppress_count(sum(n for _need, _provision, n in register)),
        needs=needs,
        needs_totals=totals,
        needs_total=total,
        interventions=interventions_run(actor=actor, year=year, costs=costs),
        cost_total=spent(costed.total, share=False) if costed.result.interventions else None,
    )
