"""The LA benchmark's registers and bulk writes: groups of up to six pupils per intervention and
block, weekly sessions, who came to each, and plain parameterised INSERTs for the two largest
tables (scores and attendance). Used by ``la_support``; see its docstring for why."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from sendwise.delivery.models import Attendance, Group, GroupMember, Session
from sendwise.demo import term_dates
from sendwise.impact import sums

BLOCK_WEEKS = 10
SESSIONS_A_WEEK = 1
GROUP_SIZE = 6
BATCH = 5000


def _session_days(start: date, until: date) -> list[date]:
    """Two school days a week (Tuesday and Thursday, else the next school day) in the block."""
    days = []
    week = start - timedelta(days=start.weekday())
    while week <= until:
        for offset in (1, 3)[:SESSIONS_A_WEEK]:
            day = week + timedelta(days=offset)
            if start <= day <= until and term_dates.is_school_day(day):
                days.append(day)
        week += timedelta(weeks=1)
    return days


def bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH)


SCORE_COLUMNS = (
    "school_id", "pupil_id", "measure_id", "value", "taken_on", "entered_by_id", "note",
    "created_at", "version", "withdrawn_reason",
)  # fmt: skip
ATTENDANCE_COLUMNS = (
    "school_id", "session_id", "member_id", "placement_id", "status", "absence_reason",
    "engagement",
)  # fmt: skip


def db_datetime(model, field: str, value):
    """A datetime as the database stores it (an aware one on PostgreSQL, text on SQLite)."""
    return model._meta.get_field(field).get_db_prep_save(value, connection)


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain parameterised INSERTs of ``rows`` (tuples in ``columns`` order), in batches."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        for first in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[first : first + BATCH])


def groups_and_registers(rng, school, placements, picks, staff, senco_user, today):
    """Groups of up to six pupils per intervention and block, each with its sessions and a
    register of who came; sets ``dose_figures`` on every placement for its result."""
    by_cell: dict[tuple, list[int]] = {}
    for k, (_plan, intervention, _area, block, _pupil) in enumerate(picks):
        by_cell.setdefault((intervention.pk, block.start), []).append(k)
    groups, members_of = [], []
    for (_intervention_id, start), ks in sorted(by_cell.items(), key=lambda kv: kv[0]):
        for first in range(0, len(ks), GROUP_SIZE):
            chunk = ks[first : first + GROUP_SIZE]
            block = picks[chunk[0]][3]
            group = Group(
                school=school, intervention=picks[chunk[0]][1],
                name=f"{picks[chunk[0]][1].name[:60]} {start:%Y-%m} {first // GROUP_SIZE + 1}",
                deliverer_id=rng.choice(staff) if staff else None, places=GROUP_SIZE,
                archived=block.review < today,
            )  # fmt: skip
            groups.append(group)
            members_of.append(chunk)
    bulk(Group, groups)
    members, sessions, session_of = [], [], []
    for group, chunk in zip(groups, members_of, strict=True):
        block = picks[chunk[0]][3]
        for k in chunk:
            members.append(
                GroupMember(
                    school=school, group=group, placement=placements[k], joined_on=block.start,
                    left_on=block.review if block.review < today else None,
                )
            )  # fmt: skip
        until = min(block.review, today - timedelta(days=1))
        for day in _session_days(block.start, until):
            cancelled = rng.random() < 0.06
            sessions.append(
                Session(
                    school=school, group=group, date=day, starts_at=time(10, 30),
                    slot_minutes=30, status="cancelled" if cancelled else "delivered",
                    cancel_reason="staff_absent" if cancelled else "",
                    minutes=None if cancelled else 30, recorded_by=senco_user,
                    recorded_at=timezone.make_aware(datetime.combine(day, time(11, 0))),
                )
            )  # fmt: skip
            session_of.append(chunk)
    bulk(GroupMember, members)
    bulk(Session, sessions)
    member_of = {m.placement.pk: m for m in members}
    for placement in placements:
        placement.dose_figures = {
            "sessions_planned": 0, "sessions_held": 0, "sessions_attended": 0,
            "minutes_attended": 0,
        }  # fmt: skip
    attendance = []
    school_id = school.pk
    for session, chunk in zip(sessions, session_of, strict=True):
        for k in chunk:
            dose = placements[k].dose_figures
            dose["sessions_planned"] += 1
            if session.status != "delivered":
                continue
            dose["sessions_held"] += 1
            present = rng.random() < 0.88
            if present:
                dose["sessions_attended"] += 1
                dose["minutes_attended"] += session.minutes
            attendance.append(
                (school_id, session.pk, member_of[placements[k].pk].pk, placements[k].pk,
                 "present" if present else "absent", "" if present else "ill",
                 rng.randint(2, 4) if present else None)
            )  # fmt: skip
    insert_rows(Attendance, ATTENDANCE_COLUMNS, attendance)
    for placement in placements:
        dose = placement.dose_figures
        dose["dose_share"] = sums.dose_share(
            planned=dose["sessions_planned"], attended=dose["sessions_attended"]
        )
    return {"groups": len(groups), "sessions": len(sessions), "attendance": len(attendance)}
