"""Which reliability coefficient judges reliable change on a measure: the one definition that
impact (a pupil's results, the school's figures) and monitoring (the progress verdicts and the
review) both use, so the two never judge the same scores against different coefficients.

Pure Python; must not import Django.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Kinds of coefficient, best first for reliable change (see ``change_reliability``).
RETEST, INTERNAL, NOT_STATED, RECORDED = (
    "test–retest", "internal-consistency", "not stated", "recorded",
)  # fmt: skip


@dataclass(frozen=True)
class ChangeReliability:
    """The reliability coefficient reliable change uses, and which kind it is (to be named
    beside every judgement made with it)."""

    value: float
    kind: str

    @property
    def label(self) -> str:
        """ "test–retest reliability 0.62", "reliability 0.87 (type not stated)"."""
        r = f"{self.value:.2f}"
        if self.kind == NOT_STATED:
            return f"reliability {r} (type not stated)"
        return f"{self.kind} reliability {r}"


def _coefficient_kind(text: str) -> str | None:
    words = text.lower().replace("–", "-")
    if "cross-informant" in words or "inter-rater" in words or "interrater" in words:
        return None  # agreement between people, not the precision of one rater's scores
    if "retest" in words or "parallel form" in words or "alternate form" in words:
        return RETEST
    if "internal consistency" in words or "alpha" in words:
        return INTERNAL
    return NOT_STATED


def change_reliability(detail, recorded: float | None = None) -> ChangeReliability | None:
    """The coefficient for reliable change from the catalogue's list of {coefficient, type}.

    Jacobson & Truax's S_diff is the error of a difference between two sittings, so the
    coefficient should describe the same scores taken twice: test–retest (a parallel form taken
    again counts as one), failing that internal consistency (Jacobson & Truax 1991, p. 14, used
    the test–retest reliability; internal consistency is the usual stand-in when no retest
    figure is published). Agreement between informants (SDQ's 0.34 between parent and teacher)
    measures something else and is never used. The lowest of a kind is taken, the cautious
    choice (the seed README's rule). Without a list, ``recorded`` (the measure's single
    figure) is used as it stands."""
    best: dict[str, float] = {}
    for entry in detail or []:
        value = entry.get("coefficient") if isinstance(entry, dict) else None
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
            continue
        kind = _coefficient_kind(str(entry.get("type") or ""))
        if kind is not None:
            best[kind] = min(best.get(kind, 1.0), float(value))
    for kind in (RETEST, INTERNAL, NOT_STATED):
        if kind in best:
            return ChangeReliability(best[kind], kind)
    if not detail and recorded is not None and 0 < recorded < 1:
        return ChangeReliability(recorded, RECORDED)
    return None


def measure_change_reliability(measure) -> ChangeReliability | None:
    """``change_reliability`` of a measure (anything with ``reliability_detail`` and
    ``reliability``, such as ``evidence.Measure``)."""
    return change_reliability(measure.reliability_detail, measure.reliability)


def reliability_of(measure) -> float | None:
    """The coefficient reliable change uses for a measure: ``change_reliability``'s choice."""
    found = measure_change_reliability(measure)
    return found.value if found is not None else None
