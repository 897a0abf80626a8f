"""Plain English for "What our practice shows": every figure with its interval and its pupils.

Pure Python; must never import Django. Used by ``sendwise.impact.practice``, which holds the
figures these sentences describe (see its docstring for what they mean and their limits).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sendwise.maths import stats

if TYPE_CHECKING:
    from sendwise.impact.practice import Combined, Counts, ReliableChange, SchoolEstimate

NO_RESEARCH = (
    "There is no pooled research estimate for this intervention, so your school's result stands "
    "on its own."
)


def plural(n: int, word: str, many: str | None = None) -> str:
    """3 -> "3 pupils", 1 -> "1 pupil"; ``many`` for irregular plurals ("studies")."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def number(x: float, places: int = 2) -> str:
    text = f"{x:.{places}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def months_text(effect_size: float) -> str:
    """An effect size in EEF months (stats.eef_months); "12+" where the EEF table stops."""
    months = stats.eef_months(effect_size)
    return f"{months}+" if abs(months) == 12 and abs(effect_size) > 1.005 else str(months)


def signed_months(months: int) -> str:
    """4 -> "+4 months", -1 -> "\u22121 month" (a true minus sign), 0 -> "0 months"."""
    unit = "month" if abs(months) == 1 else "months"
    sign = "+" if months > 0 else "\u2212" if months < 0 else ""
    return f"{sign}{abs(months)} {unit}"


def too_few_sentence(scored: int, minimum: int) -> str:
    return (
        f"Not enough data yet: {scored} of the {minimum} pupils needed have a starting score and "
        "a later score on an age-standardised test."
    )


def no_spread_sentence(n: int) -> str:
    return (
        f"All {n} pupils' gains were identical, so no interval can be given and the research "
        "estimate is not updated."
    )


def raw_sentence(
    name: str, n: int, mean: float | None, higher_is_better: bool | None, reason: str, minimum: int
) -> str:
    """Changes in raw points on a measure that is not age-standardised, and why not combined."""
    if mean is None:
        return (
            f"{name}: {plural(n, 'pupil')} with a starting and a later score; an average "
            f"change is shown from {minimum} pupils."
        )
    direction = {True: " (higher is better)", False: " (lower is better)"}.get(higher_is_better, "")
    return (
        f"{name}: the {n} pupils' scores changed by {number(mean, 1)} points on average"
        f"{direction}. Not combined with the research because {reason}."
    )


def counts_sentence(c: Counts) -> str:
    if not c.placements:
        return "No pupil in your school has been placed on it yet."
    head = f"{plural(c.pupils, 'pupil')} in your school"
    if c.placements != c.pupils:
        head += f" ({plural(c.placements, 'placement')})"
    verb = "has" if c.pupils == 1 and c.placements == 1 else "have"
    text = (
        f"{head} {verb} been placed on it; {c.with_scores:,} of the placements have a starting "
        "score and a later score on the same measure."
    )
    judged = c.responded + c.no_response + c.too_early
    if judged:
        text += (
            f" At review, {c.responded:,} made good progress, {c.no_response:,} made little or "
            f"no progress and {c.too_early:,} {'was' if c.too_early == 1 else 'were'} too early "
            f"to tell ({c.not_judged:,} not yet reviewed)."
        )
    else:
        text += " None has been reviewed yet."
    return text


def school_sentence(s: SchoolEstimate) -> str:
    more = "more" if s.mean >= 0 else "less"
    head = f"made on average {number(abs(s.mean))} standard deviations {more} progress than"
    months = abs(s.months)
    unit = "month's" if months == 1 else "months'"
    if s.months:
        in_months = f"about {months} {unit} {'more' if s.months > 0 else 'less'} progress"
    else:
        in_months = "about the expected progress"
    return (
        f"On age-standardised tests, the {s.n} pupils {head} expected for their age "
        f"(95% interval {number(s.ci_low)} to {number(s.ci_high)}; {s.n} pupils). On the "
        f"EEF scale that is {in_months} (95% interval {s.months_low} to {s.months_high} months), "
        "but with no comparison group it is not proof that the intervention caused the gain."
    )


def reliable_sentence(rc: ReliableChange, scored: int) -> str:
    if not rc.known:
        return (
            "Reliable change cannot be judged: the reliability of the tests used is not recorded."
        )
    tail = "" if rc.known == scored else " (the reliability of the other tests is not recorded)"
    return (
        f"{rc.improved:,} of the {plural(rc.known, 'pupil')} whose test has a known reliability "
        f"improved by more than measurement error alone would explain (reliable change index "
        f"1.96 or more); {rc.declined:,} went down by that much{tail}."
    )


def combined_sentence(c: Combined, school_n: int, research: stats.Pooled, research_n) -> str:
    months = c.months
    if months > 0:
        head = f"about {months} month{'s' if months != 1 else ''} of additional progress"
    elif months < 0:
        head = f"about {-months} month{'s' if months != -1 else ''} less progress"
    else:
        head = "about the same progress as without it"
    research_pupils = f"{research_n:,} pupils in " if research_n else ""
    return (
        f"Combining the research ({research_pupils}{plural(research.k, 'study', 'studies')}) "
        f"with your {school_n} pupils gives {head} (95% credible interval {c.months_low} to "
        f"{c.months_high} months; effect size {number(c.estimate.value)}, "
        f"{number(c.estimate.ci_low)} to {number(c.estimate.ci_high)}). Your school's results "
        f"carry {c.school_percent}% of the weight and the research {c.research_percent}%."
    )
