"""The rows of the school's impact table (``/impact/``), written out in Python.

Through the template each row cost about a quarter of a millisecond (a ``{% url %}``, the query
string read three times, an ``{% include %}`` a measure, a lookup, a localisation and an escape
per value): with a dozen interventions more than the page's own queries
(``benchmarks/impact.py``, part 2). As ``monitoring.decision_table`` does, every name and
sentence is escaped with the standard library's ``html.escape`` (what Django's ``escape``
calls), links come from one reversed address, and the markup is the GOV.UK table row the
template had (``impact/school.html`` holds the table).
"""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from sendwise.impact.school_selectors import InterventionImpact, MeasureFigures

_ID = 987654321
_NUMERIC = '<td class="govuk-table__cell govuk-table__cell--numeric">'
_LINE = '<p class="govuk-body-s govuk-!-margin-bottom-1">'


def _measure(m: MeasureFigures) -> str:
    """One measure's lines: its mean gain with interval and n, the EEF months where the
    measure is standardised, and reliable change."""
    text = f"{_LINE}<strong>{escape(m.name)}</strong>: {escape(m.effect_line)}</p>"
    months = m.estimate.months_text if m.estimate is not None else ""
    if months:
        text += f"{_LINE}{escape(months)} on the EEF scale.</p>"
    if m.sums.scored:
        text += f'<p class="govuk-body-s">{escape(m.reliable_line)}</p>'
    return text


def table_rows(items: list[InterventionImpact], *, query: str = "") -> SafeString:
    """The ``<tr>`` of each intervention: its name linked to its own page (keeping the
    filters chosen, ``query``), placements of pupils placed in a group, placements still
    waiting for a place (in no other figure), how many finished, the mean dose, and a line per
    measure some pupil has a later score on (the others named together)."""
    link = reverse("impact:intervention", args=[_ID]).replace(str(_ID), "{}")
    suffix = escape(f"?{query}") if query else ""
    shown = []
    for item in items:
        everyone = item.everyone
        finished = str(everyone.completed)
        if everyone.completed_percent is not None:
            finished += f" ({everyone.completed_percent}%)"
        dose = everyone.dose_percent
        results = "".join(_measure(m) for m in item.scored_measures)
        if item.unscored_names:
            names = escape(", ".join(item.unscored_names))
            results += (
                f'<p class="govuk-body-s">No pupil has a starting and a later score yet on '
                f"{names}.</p>"
            )
        if not item.measures:
            results += "No pupil has an outcome on a named measure yet."
        shown.append(
            '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
            f'<a class="govuk-link" href="{link.format(item.intervention_id)}{suffix}">'
            f"{escape(item.name)}</a></th>"
            f"{_NUMERIC}{everyone.placements}</td>"
            f"{_NUMERIC}{everyone.waiting}</td>"
            f"{_NUMERIC}{finished}</td>"
            f"{_NUMERIC}{'No sessions recorded' if dose is None else f'{dose}%'}</td>"
            f'<td class="govuk-table__cell">{results}</td></tr>\n'
        )
    return mark_safe("".join(shown))  # noqa: S308 - every value above is escaped
