"""Before anything is saved, the SENCO sees which pupils are new, which would change, and how."""

from dataclasses import replace
from datetime import date

from sendwise.exchange.ctf import parse_ctf
from sendwise.exchange.diff import FieldChange, field_changes, plan_import, same_record
from sendwise.exchange.mis_csv import parse_csv
from sendwise.exchange.records import NeedRecord, PupilRecord, SenPeriod
from tests.exchange.helpers import TODAY, fixture


def known(**changes) -> PupilRecord:
    """The school's record of Daniel, at SEN support for SPLD since September 2024."""
    base = PupilRecord(
        row=0,
        upn="M873205119104",
        first_name="Daniel",
        last_name="Okafor",
        date_of_birth=date(2018, 1, 9),
        gender="M",
        nc_year=3,
        class_name="3O",
        home_language="ENG",
        eal=False,
        pupil_premium=True,
        sen_provision="K",
        sen_history=(SenPeriod("K", date(2024, 9, 2)),),
        needs=(NeedRecord("SPLD", 1, start_date=date(2024, 9, 2)),),
    )
    return replace(base, **changes)


def test_pupils_the_school_does_not_have_are_new():
    records = parse_csv(fixture("mis_export.csv"), today=TODAY).records

    plan = plan_import(records, {})

    assert plan.new == records and plan.changed == () and plan.unchanged == ()
    assert plan.has_changes and plan.total == 10


def test_re_importing_the_same_csv_or_ctf_changes_nothing():
    for records in (
        parse_csv(fixture("mis_export.csv"), today=TODAY).records,
        parse_ctf(fixture("ctf25_year6_leavers.xml"), today=TODAY).records,
    ):
        snapshots = {r.upn: replace(r, row=0) for r in records}

        plan = plan_import(records, snapshots)

        assert plan.unchanged == records
        assert not plan.has_changes


def test_a_new_year_group_and_class_are_listed_with_the_old_and_new_values():
    record = known(row=5, nc_year=4, class_name="4A")

    plan = plan_import([record], {record.upn: known()})

    assert plan.changed == (
        (record, (FieldChange("nc_year", 3, 4), FieldChange("class_name", "3O", "4A"))),
    )


def test_a_value_the_file_does_not_give_never_wipes_a_known_one():
    silent = known(class_name="", home_language="", eal=None, pupil_premium=None)

    assert field_changes(silent, known()) == ()


def test_a_file_without_sen_columns_does_not_touch_sen():
    no_sen = known(sen_provision="", needs=(), sen_history=())

    assert field_changes(no_sen, known()) == ()


def test_coming_off_sen_support_changes_the_provision_and_the_needs():
    off = known(sen_provision="N", needs=(), sen_history=())

    assert field_changes(off, known()) == (
        FieldChange("sen_provision", "K", "N"),
        FieldChange("needs", known().needs, ()),
    )


def test_a_false_value_is_a_real_change_not_a_silent_one():
    assert field_changes(known(pupil_premium=False), known()) == (
        FieldChange("pupil_premium", True, False),
    )


def test_an_sen_period_already_recorded_is_not_a_change_but_a_new_one_is():
    earlier = SenPeriod("K", date(2022, 1, 10), date(2024, 9, 2))
    with_more_history = known(sen_history=(earlier, SenPeriod("K", date(2024, 9, 2))))

    assert field_changes(known(), with_more_history) == ()  # the file gives less: silent
    (change,) = field_changes(with_more_history, known())
    assert change.field == "sen_history"


def test_need_dates_count_only_when_the_file_gives_them():
    undated = known(needs=(NeedRecord("SPLD", 1),))
    redated = known(needs=(NeedRecord("SPLD", 1, start_date=date(2023, 1, 9)),))

    assert field_changes(undated, known()) == ()
    assert [c.field for c in field_changes(redated, known())] == ["needs"]


def test_a_new_secondary_need_is_a_change():
    (change,) = field_changes(known(needs=(*known().needs, NeedRecord("SLCN", 2))), known())

    assert change.field == "needs"


def test_records_from_different_rows_of_a_file_are_the_same_if_they_say_the_same():
    assert same_record(known(row=2), known(row=9))
    assert not same_record(known(row=2), known(row=2, first_name="Danny"))
