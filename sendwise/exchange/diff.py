"""What an import would do: which pupils are new, which would change and how, which are the same.

Pure: no Django import. The school sees this plan before anything is saved (imports are
all-or-nothing, with a preview first). Pupils are matched by UPN. The rule that keeps imports
from losing information: a file that does not give a value is silent, not saying "blank". So
None (or "") in the file never counts as a change to a known value, and when the file has no SEN
provision at all, its needs and SEN history are not compared either.

SEN history is additive: a period the file gives that the record does not have is a change, but
periods the record has and the file does not mention are not (an MIS export gives only the
current period). A need's dates are compared only where the file gives them.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from sendwise.exchange.records import NeedRecord, PupilRecord

#: The fields compared, in the order a school reads them.
COMPARED = (
    "first_name",
    "last_name",
    "date_of_birth",
    "gender",
    "nc_year",
    "class_name",
    "home_language",
    "eal",
    "pupil_premium",
    "sen_provision",
    "needs",
    "sen_history",
)
SEN_FIELDS = ("needs", "sen_history")


@dataclass(frozen=True)
class FieldChange:
    """One field the import would change: its value now and the file's value."""

    field: str
    old: object
    new: object


@dataclass(frozen=True)
class ImportPlan:
    new: tuple[PupilRecord, ...]
    changed: tuple[tuple[PupilRecord, tuple[FieldChange, ...]], ...]
    unchanged: tuple[PupilRecord, ...]

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed)

    @property
    def total(self) -> int:
        return len(self.new) + len(self.changed) + len(self.unchanged)


def same_record(a: PupilRecord, b: PupilRecord) -> bool:
    """True when two records say exactly the same, wherever in their files they came from."""
    return replace(a, row=0) == replace(b, row=0)


def _needs_differ(new: tuple[NeedRecord, ...], old: tuple[NeedRecord, ...]) -> bool:
    if [(n.need_type, n.rank) for n in new] != [(n.need_type, n.rank) for n in old]:
        return True
    for file_need, known in zip(new, old, strict=True):
        for when in ("start_date", "end_date"):
            given = getattr(file_need, when)
            if given is not None and given != getattr(known, when):
                return True
    return False


def field_changes(new: PupilRecord, old: PupilRecord) -> tuple[FieldChange, ...]:
    """The changes importing `new` would make to `old`; silent (unknown) values change nothing."""
    changes = []
    for field in COMPARED:
        value, known = getattr(new, field), getattr(old, field)
        if field in SEN_FIELDS:
            if not new.sen_provision:
                continue
            if field == "needs":
                differs = _needs_differ(value, known)
            else:
                differs = any(period not in known for period in value)
        else:
            differs = value is not None and value != "" and value != known
        if differs:
            changes.append(FieldChange(field=field, old=known, new=value))
    return tuple(changes)


def plan_import(records: Iterable[PupilRecord], existing: Mapping[str, PupilRecord]) -> ImportPlan:
    """Sort the file's pupils into new, changed (with each change) and unchanged, by UPN."""
    new, changed, unchanged = [], [], []
    for record in records:
        known = existing.get(record.upn)
        if known is None:
            new.append(record)
        elif changes := field_changes(record, known):
            changed.append((record, changes))
        else:
            unchanged.append(record)
    return ImportPlan(new=tuple(new), changed=tuple(changed), unchanged=tuple(unchanged))
