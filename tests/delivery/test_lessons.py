"""Which lessons a pupil misses, and how often a half-term: hand-worked cases of
``delivery.lessons`` (pure, no database)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendwise.delivery import lessons
from sendwise.delivery.lessons import Lesson, Slot

MON, TUE, WED, THU = 0, 1, 2, 3


def t(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def lesson(key, day, start, end, subject="maths", name=None):
    return Lesson(key, day, t(start), t(end), subject, name or lessons.subject_name(subject))


def slot(key, day, start, end, group="Reading group"):
    return Slot(key, day, t(start), t(end), group)


# A Year 4 week, as a class teacher would write it.
WEEK = [
    lesson("mon-maths", MON, "09:00", "10:00", "maths"),
    lesson("mon-english", MON, "10:00", "11:00", "english"),
    lesson("tue-maths", TUE, "09:00", "10:00", "maths"),
    lesson("tue-phonics", TUE, "10:15", "10:45", "phonics"),
    lesson("wed-maths", WED, "09:00", "10:00", "maths"),
    lesson("thu-forest", THU, "13:00", "14:30", "other:forest school", "Forest school"),
]


def test_a_slot_inside_a_lesson_misses_that_lesson_for_its_length():
    missed = lessons.misses(WEEK, slot("s", TUE, "09:10", "09:40"))
    assert [(m.lesson.key, m.minutes, m.whole) for m in missed] == [("tue-maths", 30, False)]


def test_a_slot_over_the_change_of_lessons_misses_both():
    # 09:45–10:15 on Monday: the last 15 minutes of Maths and the first 15 of English.
    missed = lessons.misses(WEEK, slot("s", MON, "09:45", "10:15"))
    assert [(m.lesson.key, m.minutes) for m in missed] == [("mon-maths", 15), ("mon-english", 15)]


def test_a_slot_that_only_touches_a_lesson_misses_nothing():
    # Phonics is 10:15–10:45; a slot 10:00–10:15 ends as it starts (break time).
    assert lessons.misses(WEEK, slot("s", TUE, "10:00", "10:15")) == []
    assert lessons.misses(WEEK, slot("s", TUE, "10:45", "11:00")) == []


def test_a_slot_covering_a_whole_lesson_is_marked_whole():
    (miss,) = lessons.misses(WEEK, slot("s", TUE, "10:10", "10:50"))
    assert (miss.lesson.key, miss.minutes, miss.whole) == ("tue-phonics", 30, True)


def test_a_weekly_clash_is_missed_once_each_school_week():
    # Tuesday 09:10 in a group: Maths is missed once a week, 6 times in a 6-week half-term.
    (row,) = lessons.missed_by_subject(WEEK, [slot("s", TUE, "09:10", "09:40")], weeks=6)
    assert (row.subject, row.name, row.a_week, row.a_half_term) == ("maths", "Maths", 1, 6)


def test_the_schools_own_half_term_length_is_used():
    (row,) = lessons.missed_by_subject(WEEK, [slot("s", TUE, "09:10", "09:40")], weeks=7)
    assert row.a_half_term == 7


def test_slots_on_three_days_in_maths_add_up():
    # The same group three mornings a week: 3 Maths lessons a week, 18 a half-term.
    slots = [slot(day, day, "09:10", "09:40") for day in (MON, TUE, WED)]
    (row,) = lessons.missed_by_subject(WEEK, slots, weeks=6)
    assert (row.a_week, row.a_half_term) == (3, 18)


def test_two_slots_in_the_same_lesson_miss_it_once():
    # Two groups on Monday morning, 09:00 and 09:30: one Maths lesson missed, not two.
    slots = [slot("a", MON, "09:00", "09:20"), slot("b", MON, "09:30", "09:50", "Talk group")]
    (row,) = lessons.missed_by_subject(WEEK, slots, weeks=6)
    assert (row.a_week, row.a_half_term) == (1, 6)


def test_a_slot_over_two_lessons_counts_one_of_each_subject():
    rows = lessons.missed_by_subject(WEEK, [slot("s", MON, "09:45", "10:15")], weeks=6)
    assert [(r.name, r.a_half_term) for r in rows] == [("English", 6), ("Maths", 6)]


def test_other_subjects_are_one_subject_whatever_the_case():
    assert lessons.subject_key("other", "Forest  School") == "other:forest school"
    assert lessons.subject_from_text("Mathematics") == ("maths", "")
    assert lessons.subject_from_text(" Forest School ") == ("other", "Forest School")


def test_over_the_limit_is_more_than_the_limit_not_equal_to_it():
    slots = [slot("s", THU, "13:30", "14:00")]
    assert lessons.over_limit(WEEK, slots, weeks=6, limit=6) == []
    (row,) = lessons.over_limit(WEEK, slots, weeks=6, limit=5)
    assert (row.name, row.a_half_term) == ("Forest school", 6)


def test_joining_warns_only_about_what_the_new_group_adds():
    already = [slot("old", MON, "09:10", "09:40", "Number group")]  # Maths, 6 a half-term
    # The new group meets on Tuesday at 10:15 (Phonics) and on Wednesday at 09:10 (Maths).
    joining = [slot("new1", TUE, "10:15", "10:45"), slot("new2", WED, "09:10", "09:40")]
    rows = lessons.breaks_on_joining(WEEK, already, joining, weeks=6, limit=2)
    assert [(r.name, r.a_half_term) for r in rows] == [("Maths", 12), ("Phonics", 6)]
    # A group at a time with no lesson (after school) adds nothing, so no warning.
    after_school = [slot("club", MON, "15:30", "16:00")]
    assert lessons.breaks_on_joining(WEEK, already, after_school, weeks=6, limit=2) == []


def test_a_limit_of_zero_warns_about_any_clash():
    rows = lessons.breaks_on_joining(WEEK, [], [slot("s", TUE, "10:40", "10:50")], weeks=6, limit=0)
    assert [(r.name, r.a_week) for r in rows] == [("Phonics", 1)]


def test_a_class_has_one_lesson_at_a_time():
    overlapping = WEEK + [lesson("mon-pe", MON, "10:30", "11:30", "pe")]
    assert [(a.key, b.key) for a, b in lessons.clashes(overlapping)] == [("mon-english", "mon-pe")]
    assert lessons.clashes(WEEK) == []


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"weekday": 5}, "weekday", lessons.ERR_DAY),
        ({"start": None}, "starts_at", lessons.ERR_START),
        ({"end": None}, "ends_at", lessons.ERR_END),
        ({"start": t("10:00"), "end": t("10:00")}, "ends_at", lessons.ERR_ORDER),
        ({"start": t("07:30")}, "starts_at", "Lessons fall within the school day, 08:00 to 16:00"),
        ({"end": t("16:30")}, "ends_at", "Lessons fall within the school day, 08:00 to 16:00"),
        ({"subject": "latin"}, "subject", lessons.ERR_SUBJECT),
        ({"subject": "other", "other_name": "  "}, "other_subject", lessons.ERR_OTHER_NAME),
        ({"subject": "other", "other_name": "x" * 41}, "other_subject", lessons.ERR_OTHER_TOO_LONG),
    ],
)
def test_each_problem_with_a_lesson_is_named(given, field, message):
    values = {
        "weekday": MON,
        "start": t("09:00"),
        "end": t("10:00"),
        "subject": "maths",
        "other_name": "",
        "day_start": t("08:00"),
        "day_end": t("16:00"),
    } | given
    problems = lessons.lesson_problems(**values)
    assert list(problems) == [field]
    assert problems[field].startswith(message)


def test_a_good_lesson_has_no_problems():
    assert (
        lessons.lesson_problems(
            weekday=THU,
            start=t("13:00"),
            end=t("14:30"),
            subject="other",
            other_name="Forest school",
            day_start=t("08:00"),
            day_end=t("16:00"),
        )
        == {}
    )


# --- Properties -------------------------------------------------------------------------------
@st.composite
def weeks_of_lessons(draw):
    """A class's week with no overlaps: back-to-back or spaced lessons each day."""
    week = []
    for day in range(5):
        clock = draw(st.integers(8 * 60, 10 * 60))
        for n in range(draw(st.integers(0, 5))):
            clock += draw(st.integers(0, 20))
            length = draw(st.integers(15, 90))
            subject = draw(st.sampled_from(["maths", "english", "science", "pe"]))
            week.append(Lesson(f"{day}-{n}", day, clock, clock + length, subject, subject))
            clock += length
    return week


slots_strategy = st.lists(
    st.builds(
        lambda key, day, start, length: Slot(key, day, start, start + length),
        st.uuids(),
        st.integers(0, 4),
        st.integers(8 * 60, 15 * 60),
        st.integers(5, 90),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(weeks_of_lessons(), slots_strategy, st.integers(1, 10))
def test_counts_are_distinct_lessons_times_weeks_and_minutes_fit_both(week, slots, weeks):
    assert lessons.clashes(week) == []
    rows = lessons.missed_by_subject(week, slots, weeks=weeks)
    missed = {m.lesson.key for s in slots for m in lessons.misses(week, s)}
    assert sum(r.a_week for r in rows) == len(missed)
    assert all(r.a_half_term == r.a_week * weeks for r in rows)
    for s in slots:
        for m in lessons.misses(week, s):
            assert 0 < m.minutes <= min(s.end - s.start, m.lesson_minutes)


@settings(max_examples=150, deadline=None)
@given(weeks_of_lessons(), slots_strategy, slots_strategy, st.integers(0, 20))
def test_joining_never_warns_about_a_subject_it_does_not_add_to(week, current, joining, limit):
    before = {r.subject: r.a_half_term for r in lessons.missed_by_subject(week, current, weeks=6)}
    for row in lessons.breaks_on_joining(week, current, joining, weeks=6, limit=limit):
        assert row.a_half_term > limit
        assert row.a_half_term > before.get(row.subject, 0)
    # Joining nothing warns about nothing.
    assert lessons.breaks_on_joining(week, current, [], weeks=6, limit=limit) == []
