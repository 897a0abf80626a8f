"""The provision map's arithmetic against a hand-worked group (see each comment's sums)."""

from datetime import date
from decimal import Decimal

from sendwise.delivery import provision
from sendwise.delivery.dose import Planned
from sendwise.delivery.provision import Delivered, GroupIn, Member, Running

AUTUMN = provision.term(2026, "autumn")
MONDAY_7_SEP = date(2026, 9, 7)
TODAY = date(2026, 9, 15)  # a Tuesday, after two Monday sessions


def plan(weeks=4):
    return Planned(start=MONDAY_7_SEP, sessions_per_week=1, minutes_per_session=30, weeks=weeks)


def reading_group(hourly=Decimal("18.00"), **changes):
    """Pupils 1 and 2 stay; pupil 3 left after the first session and is paid by pupil premium.
    Two 30-minute Monday sessions: 1, 2 and 3 on the first register; 1 and 2 on the second."""
    values = {
        "id": 10,
        "name": "Reading group",
        "intervention_id": 5,
        "hourly": hourly,
        "weekly": ((0, 30),),
        "members": (
            Member(1, MONDAY_7_SEP, None, plan()),
            Member(2, MONDAY_7_SEP, None, plan()),
            Member(3, MONDAY_7_SEP, date(2026, 9, 13), plan(), funding="pupil_premium"),
        ),
        "sessions": (
            Delivered(MONDAY_7_SEP, 30, (1, 2, 3), (1, 2)),
            Delivered(date(2026, 9, 14), 30, (1, 2), (1,)),
        ),
        "funding": "notional_sen",
    }
    values.update(changes)
    return GroupIn(**values)


def test_terms_and_years_follow_the_school_calendar():
    assert provision.term(2026, "spring").start == date(2027, 1, 1)
    assert provision.school_year(2026).end == date(2027, 8, 31)
    assert provision.term(2026, "summer").year_share == Decimal(1) / 3


def test_a_sessions_staff_cost_is_shared_among_the_pupils_on_its_register():
    result = provision.provision_map(
        groups=[reading_group()], running={}, period=AUTUMN, today=TODAY
    )
    # Each session: 30 min at £18 an hour = £9. First: £3 each for 3 pupils; second: £4.50
    # each for 2. Pupils 1 and 2: £7.50; pupil 3: £3. The intervention: £18.
    shares = {p: provision.pounds(c.staff) for p, c in result.pupils.items()}
    assert shares == {1: Decimal("7.50"), 2: Decimal("7.50"), 3: Decimal("3.00")}
    (row,) = result.interventions
    assert provision.pounds(row.staff) == Decimal("18.00")
    assert row.staff_minutes == 60 and row.pupils == 3 and row.groups == 1


def test_hours_received_count_the_sessions_each_pupil_attended():
    result = provision.provision_map(
        groups=[reading_group()], running={}, period=AUTUMN, today=TODAY
    )
    assert {p: c.received_minutes for p, c in result.pupils.items()} == {1: 60, 2: 30, 3: 0}
    # Planned: one whole week since 7 September by the 15th: one 30-minute session each.
    assert result.pupils[1].planned_minutes == 30


def test_the_projection_adds_the_sessions_still_timetabled_until_the_planned_end():
    # Four weeks from 7 September end on 4 October: Mondays 21 and 28 September are still to
    # come, 60 minutes at £18 an hour = £18, shared by the two current members: £9 each.
    result = provision.provision_map(
        groups=[reading_group()], running={}, period=AUTUMN, today=TODAY
    )
    assert provision.pounds(result.pupils[1].projected_staff) == Decimal("9.00")
    assert result.pupils[3].projected_staff == 0
    (row,) = result.interventions
    assert provision.pounds(row.projected) == Decimal("36.00")


def test_the_projection_leaves_out_days_the_school_is_closed():
    result = provision.provision_map(
        groups=[reading_group()],
        running={},
        period=AUTUMN,
        today=TODAY,
        closed={date(2026, 9, 28)},
    )
    assert provision.pounds(result.pupils[1].projected_staff) == Decimal("4.50")


def test_materials_and_licences_are_shared_and_counted_in_their_period():
    running = {
        5: Running(
            one_off=Decimal("60"),
            one_off_on=date(2026, 9, 2),
            per_pupil=Decimal("10"),
            per_year=Decimal("90"),
        )
    }
    result = provision.provision_map(
        groups=[reading_group()], running=running, period=AUTUMN, today=TODAY
    )
    # A term carries a third of the £90 licence (£30) and the £60 kit bought in it: £90 shared
    # by 3 pupils is £30 each, plus each one's £10 workbook: £40 each, £120 in all.
    assert {p: provision.pounds(c.materials) for p, c in result.pupils.items()} == {
        1: Decimal("40.00"),
        2: Decimal("40.00"),
        3: Decimal("40.00"),
    }
    (row,) = result.interventions
    assert provision.pounds(row.to_date) == Decimal("138.00")
    # By funding source: the group's notional SEN budget pays for pupils 1 and 2 (7.50 + 40
    # each), pupil premium for pupil 3 (3 + 40).
    assert {k: provision.pounds(v) for k, v in row.funding.items()} == {
        "notional_sen": Decimal("95.00"),
        "pupil_premium": Decimal("43.00"),
    }
    # In the spring term the kit is not counted again, nor the workbooks (nobody joined then).
    spring = provision.provision_map(
        groups=[reading_group()],
        running=running,
        period=provision.term(2026, "spring"),
        today=date(2027, 1, 20),
    )
    assert provision.pounds(sum(c.materials for c in spring.pupils.values())) == Decimal("30.00")


def test_a_band_without_an_hourly_cost_is_shown_as_unknown_not_as_free():
    result = provision.provision_map(
        groups=[reading_group(hourly=None)], running={}, period=AUTUMN, today=TODAY
    )
    (row,) = result.interventions
    assert not row.staff_known and row.staff == 0
    assert not result.pupils[1].staff_known


def test_a_year_group_counts_only_its_own_pupils_shares():
    result = provision.provision_map(
        groups=[reading_group()], running={}, period=AUTUMN, today=TODAY, placements={3}
    )
    (row,) = result.interventions
    assert row.pupils == 1 and provision.pounds(row.staff) == Decimal("3.00")


def test_a_group_that_did_not_run_in_the_period_is_left_out():
    result = provision.provision_map(
        groups=[reading_group()],
        running={},
        period=provision.term(2025, "summer"),
        today=TODAY,
    )
    assert result.interventions == []


def test_a_place_without_a_number_of_weeks_is_projected_to_its_plans_review():
    # No weeks: the place runs to the plan's review on 25 September, so Mondays 21 September
    # only (28th is after it): 30 minutes at £18 = £9, shared by the two current members.
    open_ended = Planned(
        start=MONDAY_7_SEP, sessions_per_week=1, minutes_per_session=30, weeks=None
    )
    members = tuple(
        Member(n, MONDAY_7_SEP, None, open_ended, review_due=date(2026, 9, 25)) for n in (1, 2)
    )
    result = provision.provision_map(
        groups=[reading_group(members=members)], running={}, period=AUTUMN, today=TODAY
    )
    assert provision.pounds(result.pupils[1].projected_staff) == Decimal("4.50")
    # A reviewed cycle owes nothing more.
    reviewed = Planned(MONDAY_7_SEP, 1, 30, 10, end=date(2026, 9, 15))
    done = (Member(1, MONDAY_7_SEP, None, reviewed),)
    result = provision.provision_map(
        groups=[reading_group(members=done)], running={}, period=AUTUMN, today=TODAY
    )
    assert result.pupils[1].projected_staff == 0


def test_a_year_groups_share_of_a_licence_is_its_share_of_the_whole_schools():
    # The £90 licence's term third (£30) is shared by all 3 pupils (£10 each), not by the one
    # pupil counted; with the £10 workbook, pupil 3 costs £20 in materials.
    running = {5: Running(per_pupil=Decimal("10"), per_year=Decimal("90"))}
    result = provision.provision_map(
        groups=[reading_group()], running=running, period=AUTUMN, today=TODAY, placements={3}
    )
    assert provision.pounds(result.pupils[3].materials) == Decimal("20.00")
    assert list(result.pupils) == [3]


def test_every_session_counts_in_full_on_the_school_map_even_with_nobody_to_share_it():
    # A session with an empty register and one whose register holds a place not on the map
    # (withdrawn as entered by mistake): £9 each in the intervention's total and the group's
    # funding; the one pupil on the second register gets half (£4.50).
    sessions = (
        Delivered(MONDAY_7_SEP, 30, ()),
        Delivered(date(2026, 9, 14), 30, (1, 99), (1,)),
    )
    group = reading_group(sessions=sessions, members=(Member(1, MONDAY_7_SEP, None, plan()),))
    result = provision.provision_map(groups=[group], running={}, period=AUTUMN, today=TODAY)
    (row,) = result.interventions
    assert provision.pounds(row.staff) == Decimal("18.00")
    assert provision.pounds(result.pupils[1].staff) == Decimal("4.50")
    assert {k: provision.pounds(v) for k, v in row.funding.items()} == {
        "notional_sen": Decimal("18.00")
    }


def test_staff_hours_timetabled_count_the_groups_slots_while_it_had_pupils():
    # Joined Monday 7 September, today Tuesday 15th: Mondays 7 and 14, 30 minutes each. With
    # the 14th closed, only the 7th: 30 minutes.
    result = provision.provision_map(
        groups=[reading_group()], running={}, period=AUTUMN, today=TODAY
    )
    assert result.interventions[0].timetabled_minutes == 60
    closed = provision.provision_map(
        groups=[reading_group()],
        running={},
        period=AUTUMN,
        today=TODAY,
        closed={date(2026, 9, 14)},
    )
    assert closed.interventions[0].timetabled_minutes == 30


def continued_group(**changes):
    """Pupil 7's reading support went on into their next plan: the place of plan 1 (placement 1)
    left the group at the review on Monday 14 September and the place of plan 2, still a draft,
    joined it that day (placement 2). Pupil 8 is in the group throughout (placement 3). One
    30-minute session each Monday, both pupils on the register."""
    values = {
        "id": 11,
        "name": "Reading group",
        "intervention_id": 5,
        "hourly": Decimal("18.00"),
        "weekly": ((0, 30),),
        "members": (
            Member(1, MONDAY_7_SEP, date(2026, 9, 14), plan(), pupil_id=7),
            Member(2, date(2026, 9, 14), None, plan(), pupil_id=7),
            Member(3, MONDAY_7_SEP, None, plan(), pupil_id=8),
        ),
        "sessions": (
            Delivered(MONDAY_7_SEP, 30, (1, 3), (1, 3)),
            Delivered(date(2026, 9, 14), 30, (2, 3), (2, 3)),
        ),
    }
    values.update(changes)
    return GroupIn(**values)


def test_a_continued_intervention_charges_a_pupils_materials_once():
    running = {5: Running(per_pupil=Decimal("53"), per_year=Decimal("30"))}
    result = provision.provision_map(
        groups=[continued_group()], running=running, period=AUTUMN, today=TODAY
    )
    # Two pupils, not three places: the term's £10 of licence is £5 each, and each pupil's £53
    # of materials once, on their first place: pupil 7's £58 on placement 1, nothing more on
    # placement 2; pupil 8's £58. £116 in all, not £174 (£53 charged again for the draft plan).
    materials = {p: provision.pounds(c.materials) for p, c in result.pupils.items()}
    assert materials == {1: Decimal("58.00"), 2: Decimal("0.00"), 3: Decimal("58.00")}
    (row,) = result.interventions
    assert row.pupils == 2
    assert provision.pounds(row.materials) == Decimal("116.00")
    # The pupil's own map: the same £58, on the first place only.
    own = provision.provision_map(
        groups=[continued_group()], running=running, period=AUTUMN, today=TODAY, placements={1, 2}
    )
    assert provision.pounds(sum(c.materials for c in own.pupils.values())) == Decimal("58.00")


def test_materials_counted_in_an_earlier_year_are_not_charged_again_when_support_goes_on():
    """Pupil 7 joined in June (school year 2025/26); their next plan's place joined on 14
    September 2026. The £53 was counted in 2025/26, so 2026/27 charges none of it."""
    year = provision.school_year(2026)
    group = continued_group(
        members=(
            Member(1, date(2026, 6, 1), date(2026, 9, 14), plan(), pupil_id=7),
            Member(2, date(2026, 9, 14), None, plan(), pupil_id=7),
        ),
        sessions=(Delivered(date(2026, 9, 14), 30, (2,), (2,)),),
    )
    running = {5: Running(per_pupil=Decimal("53"))}
    again = provision.provision_map(
        groups=[group], running=running, period=year, today=TODAY, joined_before={(7, 5)}
    )
    assert provision.pounds(sum(c.materials for c in again.pupils.values())) == Decimal("0.00")
    first_time = provision.provision_map(groups=[group], running=running, period=year, today=TODAY)
    assert provision.pounds(sum(c.materials for c in first_time.pupils.values())) == Decimal(
        "53.00"
    )


def test_money_by_source_adds_up_to_its_total_to_the_penny():
    """Three sources of £10.005, £20.005 and £30.005: £60.015 in all, £60.02 shown. Each
    rounded alone gives £10.01 + £20.01 + £30.01 = £60.03, a penny over (a tester found the
    provision map's sources £14,370.59 against a total of £14,370.58)."""
    values = [Decimal("10.005"), Decimal("20.005"), Decimal("30.005")]
    shown = provision.pounds_adding_up(values)
    assert shown == [Decimal("10.01"), Decimal("20.01"), Decimal("30.00")]
    assert sum(shown) == provision.pounds(sum(values)) == Decimal("60.02")
    assert provision.pounds_adding_up([]) == []
    assert provision.pounds_adding_up([Decimal("5.25")]) == [Decimal("5.25")]
