"""Tests of the demo generator."""

from django.db.models import Min

from sendwise.delivery.models import Session
from sendwise.monitoring.models import Review


def demo_meetings(school):
    """The demo's review meetings of this school year (``demo/reviews.py``: four of them). The
    reviews that closed last year's first-cycle plans (``demo/plans.py``) were held before
    the year's first recorded session, so they are left out."""
    first = Session.objects.filter(school=school).aggregate(first=Min("date"))["first"]
    return Review.objects.filter(school=school, held_on__gte=first)
