"""The rows of the table of pupils who need a decision, written out in Python.

A page lists 50 pupils; through template tags each row cost about 400 function calls (a lookup,
a localisation and an escape per variable, a ``{% url %}`` and two date filters), and through
``format_html`` still about 270 (Django's ``escape`` is lazy-aware, several calls a value): most
of the page's time. Here every name, sentence and link is escaped with the standard library's
``html.escape``, which is what Django's ``escape`` calls (the same five characters replaced). The
markup is the GOV.UK table row the template had (``monitoring/decisions.html`` holds the table).
"""

from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from sendwise.monitoring.decision_selectors import DecisionRow
from sendwise.monitoring.progress_text import for_reader

# Links are made from one reversed address each (ids put in its place), not one reverse a row.
_PUPIL, _OUTCOME = 987654321, 987654322
OTHERS = (
    '<ul class="govuk-list govuk-list--bullet govuk-body-s govuk-!-margin-top-2 '
    'govuk-!-margin-bottom-0">'
)


class _Links:
    """The chart of a pupil's outcome, or the pupil's page."""

    def __init__(self):
        chart = reverse("pupils:outcome_progress", args=[_PUPIL, _OUTCOME])
        self.chart = chart.replace(str(_PUPIL), "{p}").replace(str(_OUTCOME), "{o}")
        self.pupil = reverse("pupils:detail", args=[_PUPIL]).replace(str(_PUPIL), "{p}")

    def for_row(self, row: DecisionRow) -> str:
        if row.main.outcome_id:
            return self.chart.format(p=row.pupil_id, o=row.main.outcome_id)
        return self.pupil.format(p=row.pupil_id)


def table_rows(rows: list[DecisionRow], *, may_change_plan: bool = True) -> SafeString:
    """The ``<tr>`` of each row: the pupil's name linked to the chart of the outcome behind
    the main reason (or to the pupil's page, for a reason about a plan or a dose) with their
    class; the main reason with its intervention, then the others; the date the pupil has
    needed a decision since ("4 Mar 2026", as the date filter's "j M Y" writes it). The
    sentences' advice is the SENCO's; for a reader who may not change a plan it says to bring
    it to the SENCO (``progress_text.for_reader``)."""

    def said(sentence: str) -> str:
        return escape(for_reader(sentence, may_change_plan=may_change_plan))

    links = _Links()
    zone = timezone.get_current_timezone()  # once, not once a row (timezone.localtime)
    shown = []
    for row in rows:
        main = row.main
        since = row.since.astimezone(zone)
        name = f'<a class="govuk-link" href="{escape(links.for_row(row))}">{escape(row.name)}</a>'
        if row.class_name:
            name += f'<br><span class="govuk-body-s">{escape(row.class_name)}</span>'
        reason = said(main.sentence)
        if main.intervention:
            reason = f"<strong>{escape(main.intervention)}.</strong> {reason}"
        if len(row.reasons) > 1:
            items = "".join(
                f"<li>{escape(r.intervention)}. {said(r.sentence)}</li>"
                if r.intervention
                else f"<li>{said(r.sentence)}</li>"
                for r in row.others
            )
            reason += f"{OTHERS}{items}</ul>"
        shown.append(
            '<tr class="govuk-table__row">'
            f'<th scope="row" class="govuk-table__header">{name}</th>'
            f'<td class="govuk-table__cell">{reason}</td>'
            f'<td class="govuk-table__cell"><time datetime="{since.isoformat()}">'
            f"{since.day} {since:%b %Y}</time></td></tr>\n"
        )
    return mark_safe("".join(shown))  # noqa: S308 - every value above is escaped
