"""Cost per pupil and cost per month of progress, with its interval. Pure Python: no Django.

Cost-effectiveness is the cost of an option divided by its effect, so two interventions can be
compared by what one unit of effect costs (H. M. Levin and P. J. McEwan, "Cost-Effectiveness
Analysis: Methods and Applications", 2nd edition, Sage 2001, chapter 6, the
cost-effectiveness ratio). Here the effect is the EEF Toolkit's months of additional progress
(``stats_scores.eef_months``), so the figure reads "£40 for each month of extra progress".

The interval: the cost per pupil is taken as known (it is the school's own spending), so the
only uncertainty is in the months of progress. Dividing a known positive cost by each bound of
the months' confidence interval gives the bounds of the cost per month, in reverse order (the
more progress, the less each month costs): ``cost / high`` to ``cost / low``. Because ``1/x``
is decreasing for positive ``x``, a 95% interval for the months maps to a 95% interval for the
cost per month exactly, with no further approximation.

When the lower bound of the months is zero or less, the data are consistent with no extra
progress at all, and the cost of a month of progress has no upper limit: the figure is left
undefined and the reason given, rather than showing a ratio that could be any size. The same
when the months themselves are zero or less.

Worked example (tests/maths/test_stats_cost.py): £240 a pupil, 4 months (95% interval 2 to
6): £60 a month, interval £40 (240/6) to £120 (240/2).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")

NO_PROGRESS = (
    "Not worked out: the interval of the months of progress includes no extra progress, "
    "so a month of progress could cost any amount."
)
NO_PUPILS = "Not worked out: no pupil's cost is known."


@dataclass(frozen=True)
class CostPerPupil:
    total: Decimal
    pupils: int

    @property
    def per_pupil(self) -> Decimal | None:
        if self.pupils <= 0:
            return None
        return (self.total / self.pupils).quantize(PENNY, ROUND_HALF_UP)


@dataclass(frozen=True)
class CostPerMonth:
    """What one month of additional progress cost per pupil, with its interval; ``None``
    figures with a ``reason`` when it cannot be worked out."""

    per_pupil: Decimal | None
    per_month: Decimal | None
    low: Decimal | None
    high: Decimal | None
    n: int
    reason: str = ""

    @property
    def defined(self) -> bool:
        return self.per_month is not None

    def sentence(self) -> str:
        if not self.defined:
            return self.reason
        return (
            f"About £{self.per_month:,} per pupil for each month of additional progress "
            f"(95% interval £{self.low:,} to £{self.high:,}; {self.n} pupils): the school's "
            "cost per pupil divided by the months of progress and by each end of their interval."
        )


def cost_per_pupil(total, pupils: int) -> CostPerPupil:
    """The total cost shared equally among ``pupils``."""
    return CostPerPupil(total=_money(total), pupils=int(pupils))


def _money(value) -> Decimal:
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if not amount.is_finite() or amount < 0:
        raise ValueError("A cost is a number of pounds, 0 or more")
    return amount


def _number(value) -> Decimal:
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError("Months of progress must be a finite number")
    return number


def cost_per_month(*, per_pupil, months, low, high, n: int) -> CostPerMonth:
    """Cost per pupil divided by the months of progress (``months``, 95% interval ``low`` to
    ``high``) from ``n`` pupils; undefined when the interval includes zero or less."""
    months, low, high = _number(months), _number(low), _number(high)
    if not low <= months <= high:
        raise ValueError("The months of progress must lie inside their interval")
    if per_pupil is None or n <= 0:
        return CostPerMonth(None, None, None, None, max(int(n), 0), NO_PUPILS)
    cost = _money(per_pupil)
    if low <= 0:
        return CostPerMonth(cost, None, None, None, int(n), NO_PROGRESS)
    return CostPerMonth(
        per_pupil=cost,
        per_month=(cost / months).quantize(PENNY, ROUND_HALF_UP),
        low=(cost / high).quantize(PENNY, ROUND_HALF_UP),
        high=(cost / low).quantize(PENNY, ROUND_HALF_UP),
        n=int(n),
    )
