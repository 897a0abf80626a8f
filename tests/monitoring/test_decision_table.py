"""The rows of the pupils who need a decision, written in Python (monitoring.decision_table):
names and reasons escaped, the link to the chart of the main reason's outcome (or to the
pupil's page), and the date written as the template's date filter writes it."""

from datetime import UTC, datetime

from django.template import Context, Template
from django.urls import reverse

from sendwise.monitoring.decision_selectors import DecisionRow, Reason
from sendwise.monitoring.decision_table import table_rows

# 23:30 UTC on 31 March 2026 is already 1 April in London (summer time): the date shown is the
# school's, as the template filter shows it.
SINCE = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)


def row(**fields) -> DecisionRow:
    reasons = fields.pop(
        "reasons",
        [Reason("not_responding", "Below the aimline.", "Reading <boost>", 7, SINCE)],
    )
    return DecisionRow(
        **{"pupil_id": 12, "name": "Amara Ng", "surname": "Ng", "class_name": "4 Ash", **fields},
        reasons=reasons,
    )


def test_names_and_reasons_are_escaped():
    html = table_rows([row(name="<script>alert(1)</script>", class_name="4 & 5")])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "4 &amp; 5" in html
    assert "<strong>Reading &lt;boost&gt;.</strong> Below the aimline." in html


def test_the_link_is_the_chart_of_the_main_reason_or_the_pupils_page():
    with_outcome = table_rows([row()])
    assert f'href="{reverse("pupils:outcome_progress", args=[12, 7])}"' in with_outcome
    dose = [Reason("low_dose", "Had 60% of the sessions.", "", None, SINCE)]
    assert f'href="{reverse("pupils:detail", args=[12])}"' in table_rows([row(reasons=dose)])


def test_the_waiting_since_date_is_the_date_filters():
    expected = Template('<time datetime="{{ d|date:\'c\' }}">{{ d|date:"j M Y" }}</time>').render(
        Context({"d": SINCE})
    )
    assert expected in table_rows([row()])
    assert ">1 Apr 2026</time>" in expected


def test_other_reasons_follow_in_a_list():
    reasons = [
        Reason("not_responding", "Below the aimline.", "Phonics", 7, SINCE),
        Reason("no_score", "No score since 2 March.", "Phonics", 7, SINCE),
        Reason("review_overdue", "The review is overdue.", "", None, SINCE),
    ]
    html = table_rows([row(reasons=reasons)])
    assert "<li>Phonics. No score since 2 March.</li><li>The review is overdue.</li>" in html
