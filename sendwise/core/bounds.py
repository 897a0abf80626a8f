"""The plausible size of everything a person types into SENDwise, and what to say when a value
is not plausible: one place for every form (``core.forms.BoundedForm`` applies it) and every
import path that writes the same fields. Pure Python: callers pass today's date.

These limits catch slips and hostile input (a review on 9999-12-31, a concern raised in the
year 1, a profile of 300,000 characters, 1,000 sessions a week, a score of 1e308); the rules
of the school (a score is not taken in the future, a review follows the plan's start) stay in
the services, which give their own, more precise messages.

Where each limit comes from:

- Dates. SENDwise holds records of children and young people; an EHC plan can run to the age
  of 25 (Children and Families Act 2014, section 46), so nobody in a school's records today
  was born more than 26 years ago, and no record of theirs is older than ``EARLIEST_RECORD``.
  Forward, a plan is reviewed at least once a year (SEND Code of Practice 2015, 6.58 and 9.166):
  dates of things planned may lie at most ``PLANNED_YEARS`` ahead; a calendar (closures, the
  next school year) at most ``CALENDAR_YEARS`` ahead; things that happened are checked against
  today by the services, so the form allows only a typing slip's margin (``HAPPENED_YEARS``).
- Text. A line (a name, a reason, a note) is at most ``LINE`` characters; a description (what
  was seen, what the pupil said) at most ``PASSAGE`` characters, about two sides of A4: enough
  for anything a person writes into one box, small enough to read, print and export.
- Doses (the limits review meetings already used, now shared by every form). A school week
  has five days; two sessions a day is the most a targeted intervention asks
  (``SESSIONS_PER_WEEK``). A session is from 5 minutes (a precision-teaching probe) to three
  hours (a morning) (``MINUTES_PER_SESSION``). A block of support is reviewed within a year
  (SEND Code of Practice 2015, 6.58), so it is planned for at most ``WEEKS``.
- Scores on a measure with no published range: no measure SENDwise holds (standard scores,
  ages in months, words read in a minute, rating scales) reports a value beyond
  ``SCORE_MAGNITUDE``; a larger number is a slip (or an attack), not a result.
- Any other number: within ``NUMBER_MAGNITUDE``; a whole number also fits a 64-bit database
  column (SQLite raises OverflowError beyond it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

EARLIEST_RECORD = date(2000, 1, 1)
OLDEST_PUPIL_YEARS = 26
HAPPENED_YEARS = 1
PLANNED_YEARS = 2
CALENDAR_YEARS = 3

LINE = 300
PASSAGE = 5000

SESSIONS_PER_WEEK = 10
MINUTES_PER_SESSION = 180
WEEKS = 52
#: The parts of a dose: (least, most, why), for every form and service that plans or changes one.
DOSE = {
    "sessions_per_week": (1, SESSIONS_PER_WEEK, "two sessions each school day at most"),
    "minutes_per_session": (5, MINUTES_PER_SESSION, "a session lasts a morning at most"),
    "weeks": (1, WEEKS, "a school year at most"),
}
SCORE_MAGNITUDE = 100_000
NUMBER_MAGNITUDE = 1_000_000
MONEY = 10_000_000
DATABASE_INTEGER = 2**63 - 1

DATE_TOO_EARLY = "{What} must be on or after {earliest}: check the year"
DATE_BEFORE_BIRTH = "{What} cannot be before the pupil was born ({born})"
DATE_TOO_LATE = "{What} must be within {years} of today: check the year"
BORN_TOO_EARLY = "{What} must be on or after {earliest}: pupils are aged 25 or under"
TEXT_TOO_LONG = "{What} must be {limit:,} characters or fewer (you have {length:,})"
NUMBER_NOT_FINITE = "{What} must be a number, like 12 or 12.5"
TOO_MANY = "{What} must be {high:,} or fewer: {why}"
NUMBER_OUT_OF_RANGE = "{What} must be between {low} and {high}{why}"
#: "1e2" is 100 to Python, but nobody writes a score that way: it is a slip, or a pasted figure.
NUMBER_EXPONENT = (
    "Enter {what} as an ordinary number, like 100 or 12.5: a number with an e in it (such as "
    "1e2) is not accepted"
)
#: The same, opening with the box's label as written (so "SDQ total" or a pupil's name keeps its
#: capitals, which a label lower-cased to fit "Enter …" would lose).
NAMED_NUMBER_EXPONENT = (
    "{What} must be an ordinary number, like 100 or 12.5: a number with an e in it (such as "
    "1e2) is not accepted"
)


def long_date(day: date) -> str:
    """27 March 2026: how a limit is written in a message (GOV.UK style)."""
    return f"{day.day} {day:%B %Y}"


def years_later(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _years(n: int) -> str:
    return "a year" if n == 1 else f"{n} years"


def capital(what: str) -> str:
    return what[:1].upper() + what[1:]


@dataclass(frozen=True)
class DateWindow:
    """How far back and ahead of today a kind of date may lie."""

    ahead_years: int
    born: bool = False  # a date of birth: back to the oldest pupil, not past today

    def problem(self, value: date, *, today: date, what: str, born: date | None = None) -> str:
        """Why ``value`` is not a plausible ``what`` ("" when it is); ``born`` is the pupil's
        date of birth where the form knows the pupil. A date of birth in the future is the
        pupils service's rule (it lists it with the census checks)."""
        What = capital(what)
        if self.born:
            earliest = years_later(today, -OLDEST_PUPIL_YEARS)
            if value < earliest:
                return BORN_TOO_EARLY.format(What=What, earliest=long_date(earliest))
            return ""
        if value < EARLIEST_RECORD:
            return DATE_TOO_EARLY.format(What=What, earliest=long_date(EARLIEST_RECORD))
        if born is not None and value < born:
            return DATE_BEFORE_BIRTH.format(What=What, born=long_date(born))
        if value > years_later(today, self.ahead_years):
            return DATE_TOO_LATE.format(What=What, years=_years(self.ahead_years))
        return ""


HAPPENED = DateWindow(HAPPENED_YEARS)
PLANNED = DateWindow(PLANNED_YEARS)
CALENDAR = DateWindow(CALENDAR_YEARS)
BIRTH = DateWindow(0, born=True)


def text_problem(value: str, *, limit: int, what: str) -> str:
    """Why ``value`` is too long ("" when it is not); says how long it is, like a counter."""
    if len(value) <= limit:
        return ""
    return TEXT_TOO_LONG.format(What=capital(what), limit=limit, length=len(value))


def _number(value: float) -> str:
    return f"{value:,g}" if float(value) != int(value) else f"{int(value):,}"


def number_problem(value, *, low, high, what: str, why: str = "") -> str:
    """Why ``value`` is not a finite number from ``low`` to ``high`` ("" when it is)."""
    if isinstance(value, float) and not math.isfinite(value):
        return NUMBER_NOT_FINITE.format(What=capital(what))
    if low <= value <= high:
        return ""
    return NUMBER_OUT_OF_RANGE.format(
        What=capital(what), low=_number(low), high=_number(high), why=f": {why}" if why else ""
    )
