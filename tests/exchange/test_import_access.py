"""An import that adds pupils to a class, or moves them to another, keeps who may see them in
step: the class's staff see its new pupils, and stop seeing those who moved out. In bulk: the
queries do not grow with the number of pupils."""

import csv
import io

from sendwise.core.access import actor_for
from sendwise.exchange import services
from sendwise.exchange.samples import make_csv
from sendwise.pupils.access_services import class_staff_access_grant
from sendwise.pupils.models import ClassGroup, ClassStaff, Pupil
from tests.access_helpers import assert_in_step, sees
from tests.queries import Queries, capture_queries


def apply(world, data: bytes, name: str = "pupils.csv") -> dict:
    senco = actor_for(world.users["senco"], world.school.pk)
    batch = services.import_upload(actor=senco, filename=name, data=data)
    return services.import_apply(actor=senco, batch=batch)


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def csv_of(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def test_imported_pupils_are_seen_by_their_classs_staff_and_moves_are_followed(world):
    data = make_csv(30, seed=31)
    rows = rows_of(data)
    header, body = rows[0], rows[1:]
    column = header.index("Reg Group")
    name = body[0][column]
    teacher = world.users["teacher"]
    # The class exists before the import, with the teacher on its staff.
    group = ClassGroup.objects.create(school=world.school, name=name, nc_year=0)
    class_staff_access_grant(
        class_staff=[
            ClassStaff.objects.create(school=world.school, class_group=group, user=teacher)
        ]
    )
    apply(world, data)
    in_class = {r[0] for r in body if r[column] == name}
    by_upn = {p.upn: p for p in Pupil.unscoped.filter(school=world.school)}
    assert all(sees(teacher, by_upn[upn]) for upn in in_class)
    outsider = next(r for r in body if r[column] != name)
    assert not sees(teacher, by_upn[outsider[0]])
    assert_in_step(world.school)
    # Next term's file: the first pupil moves out of the class, another moves in.
    body[0][column], outsider[column] = "9Z", name
    apply(world, csv_of([header, *body]), "next.csv")
    assert not sees(teacher, by_upn[body[0][0]])
    assert sees(teacher, by_upn[outsider[0]])
    assert_in_step(world.school)


def test_an_import_writes_access_in_bulk_whatever_the_number_of_pupils(world):
    header, *body = rows_of(make_csv(130, seed=41))
    column = header.index("Reg Group")
    for name in {r[column] for r in body}:  # staff in every class, so every pupil gets rows
        group = ClassGroup.objects.create(school=world.school, name=name, nc_year=0)
        ClassStaff.objects.create(
            school=world.school, class_group=group, user=world.users["teacher"]
        )

    def access_queries(rows, name) -> Queries:
        with capture_queries() as captured:
            apply(world, csv_of([header, *rows]), name)
        return Queries(
            [
                sql
                for sql in captured.sql
                if "pupils_pupilaccess" in sql or "pupils_classstaff" in sql
            ]
        )

    small, large = access_queries(body[:10], "small.csv"), access_queries(body[10:], "large.csv")
    assert len(small) == len(large) == 3, (
        f"10 pupils:\n{small.listing()}\n120 pupils:\n{large.listing()}"
    )
    assert_in_step(world.school)
