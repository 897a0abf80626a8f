"""Measures the monitoring tests record scores on."""

import pytest

from sendwise.evidence.models import Measure


@pytest.fixture
def standardised(db):
    """A standardised reading test: mean 100, SD 15, scores 70 to 130, higher is better."""
    return Measure.objects.create(
        slug="reading-standardised",
        name="Reading comprehension (standardised)",
        kind="standardised",
        scale_min=70,
        scale_max=130,
        mean=100,
        sd=15,
        higher_is_better=True,
    )


@pytest.fixture
def open_ended(db):
    """A rating with no published range and no stated direction."""
    return Measure.objects.create(slug="worry-rating", name="Worry rating", kind="rating_scale")
