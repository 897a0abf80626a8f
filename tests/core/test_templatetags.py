"""The template filters every page shares (core.templatetags.sendwise)."""

from sendwise.core.templatetags.sendwise import score


def test_a_score_reads_the_same_on_every_page_without_trailing_zeros():
    assert [score(v) for v in (95.0, 5.5, 5.50, 12.25, 12.345, 0.0, -0.001, None, "")] == [
        "95", "5.5", "5.5", "12.25", "12.35", "0", "0", "", "",
    ]  # fmt: skip
