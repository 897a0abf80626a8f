"""Importing classes' lesson timetables from a MIS CSV: a good file previews what will change
and replaces each named class's week at once; a file with any bad row saves nothing and says,
row by row, what to fix."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sendwise.delivery.models import Lesson
from sendwise.exchange import lesson_csv
from sendwise.exchange.lesson_csv import parse_lessons
from sendwise.exchange.models import LessonImport
from sendwise.exchange.records import ImportFileError
from tests.delivery.factories import add_lessons

DAY = {"day_start": 8 * 60, "day_end": 16 * 60}

GOOD = (
    "Class,Day,Start,End,Subject\n"
    "4 Ash,Monday,09:00,10:00,Mathematics\n"
    "4 Ash,Mon,10:15,11:15,Literacy\n"
    "4 ash,2,9.00,1000,Science\n"
    "4 Birch,Thursday,13:00,14:30,Forest School\n"
)


def rows_of(parsed):
    return [(r.line, r.class_name, r.weekday, r.start, r.end, r.subject, r.other_subject)
            for r in parsed.rows]  # fmt: skip


# --- Reading the file (pure) ------------------------------------------------------------------
def test_a_good_file_is_read_with_the_mis_spellings_of_days_times_and_subjects():
    parsed = parse_lessons(GOOD.encode(), **DAY)
    assert parsed.errors == []
    assert rows_of(parsed) == [
        (2, "4 Ash", 0, 540, 600, "maths", ""),
        (3, "4 Ash", 0, 615, 675, "english", ""),
        (4, "4 ash", 1, 540, 600, "science", ""),
        (5, "4 Birch", 3, 780, 870, "other", "Forest School"),
    ]


def test_an_excel_csv_in_windows_1252_with_other_headers_is_read():
    data = "Reg Group;Weekday;Start time;End time;Lesson\r\n4 Ash;Friday;13:00;14:00;Café club\r\n"
    parsed = parse_lessons(data.encode("cp1252"), **DAY)
    assert rows_of(parsed) == [(2, "4 Ash", 4, 780, 840, "other", "Café club")]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("4 Ash,Saturday,09:00,10:00,Maths", "day", "Lessons are timetabled Monday to Friday"),
        ("4 Ash,Funday,09:00,10:00,Maths", "day", lesson_csv.DAY_INVALID),
        ("4 Ash,Monday,9am,10:00,Maths", "start", lesson_csv.TIME_INVALID),
        ("4 Ash,Monday,09:00,25:00,Maths", "end", lesson_csv.TIME_INVALID),
        ("4 Ash,Monday,10:00,09:00,Maths", "end", "The lesson must end after it starts"),
        ("4 Ash,Monday,07:00,08:00,Maths", "start", "Lessons fall within the school day"),
        ("4 Ash,Monday,09:00,10:00,", "subject", lesson_csv.SUBJECT_REQUIRED),
        (",Monday,09:00,10:00,Maths", "class_name", lesson_csv.CLASS_REQUIRED),
        (f"{'x' * 31},Monday,09:00,10:00,Maths", "class_name", lesson_csv.CLASS_TOO_LONG),
        (f"4 Ash,Monday,09:00,10:00,{'y' * 41}", "subject", "The subject's name must be 40"),
        ("4 Ash,Monday,09:00,10:00,Maths,extra", "", lesson_csv.EXTRA_CELLS),
    ],
)
def test_each_bad_row_is_named_by_its_row_number_with_a_clear_reason(row, column, message):
    data = f"Class,Day,Start,End,Subject\n4 Ash,Tuesday,09:00,10:00,Maths\n{row}\n"
    parsed = parse_lessons(data.encode(), **DAY)
    assert [(e.line, e.column) for e in parsed.errors] == [(3, column)]
    assert parsed.errors[0].message.startswith(message)
    assert [r.line for r in parsed.rows] == [2]


def test_overlapping_and_repeated_rows_of_one_class_name_the_row_they_clash_with():
    data = (
        "Class,Day,Start,End,Subject\n"
        "4 Ash,Monday,09:00,10:00,Maths\n"
        "4 Ash,Monday,09:30,10:30,English\n"
        "4 Ash,Monday,09:00,10:00,Maths\n"
        "4 Birch,Monday,09:30,10:30,English\n"  # another class: no clash
    )
    parsed = parse_lessons(data.encode(), **DAY)
    assert [(e.line, e.message) for e in parsed.errors] == [
        (3, "Overlaps row 2 (Maths, Monday 09:00–10:00): a class has one lesson at a time"),
        (4, "The same lesson as row 2"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Class,Day,Start,Subject\n4 Ash,Monday,09:00,Maths\n", "The file has no column for end"),
        (b"Class,Day,Start,End,Subject\n", lesson_csv.NO_LESSONS),
        (b"PK\x03\x04rest", "The file is a spreadsheet workbook"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(data, message):
    with pytest.raises(ImportFileError) as refused:
        parse_lessons(data, **DAY)
    assert str(refused.value).startswith(message)


# --- Upload, preview, apply -------------------------------------------------------------------
@pytest.fixture
def birch(world):
    return world.pupil_elsewhere.class_group


def upload(client, text: str):
    file = SimpleUploadedFile("timetable.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("exchange:lessons_start"), {"file": file})


def test_the_senco_previews_then_applies_a_good_file(world, birch, client_as):
    ash = world.pupil_in_class.class_group
    add_lessons(ash, [(0, "09:00", "10:00", "maths"), (4, "14:00", "15:00", "music")])
    client = client_as("senco")
    response = upload(client, GOOD)
    batch = LessonImport.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("exchange:lessons_preview", args=[batch.pk])).content.decode()
    assert "Added: English, Monday 10:15–11:15" in page
    assert "Removed: Music, Friday 14:00–15:00" in page
    assert "1 lesson unchanged" in page
    assert "Added: Forest School, Thursday 13:00–14:30" in page
    assert Lesson.objects.count() == 2  # nothing saved by the preview
    client.post(reverse("exchange:lessons_confirm", args=[batch.pk]), {"action": "apply"})
    assert sorted(str(x) for x in Lesson.objects.filter(class_group=ash)) == [
        "English, Monday 10:15–11:15",
        "Maths, Monday 09:00–10:00",
        "Science, Tuesday 09:00–10:00",
    ]
    assert Lesson.objects.filter(class_group=birch).count() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.summary["added"], batch.summary["removed"]) == ("applied", 3, 1)
    # Applying twice is refused, and changes nothing.
    client.post(reverse("exchange:lessons_confirm", args=[batch.pk]), {"action": "apply"})
    assert Lesson.objects.count() == 4


def test_a_file_with_one_bad_row_saves_nothing_and_lists_the_row(world, client_as):
    client = client_as("admin")
    upload(client, GOOD + "4 Oak,Monday,09:00,10:00,Maths\n4 Ash,Sunday,09:00,10:00,PE\n")
    batch = LessonImport.objects.get()
    page = client.get(reverse("exchange:lessons_preview", args=[batch.pk])).content.decode()
    assert "<title>Error:" in page
    assert "No class called 4 Oak in this school" in page
    assert "Sunday is not a school day" in page
    assert 'value="apply"' not in page
    response = client.post(
        reverse("exchange:lessons_confirm", args=[batch.pk]), {"action": "apply"}, follow=True
    )
    assert "The file has 2 rows with problems, so nothing was changed" in response.content.decode()
    assert not Lesson.objects.exists()
    assert LessonImport.objects.get().status == "preview"


def test_a_file_that_cannot_be_read_is_not_kept(world, client_as):
    page = upload(client_as("senco"), "Name,When\nx,y\n").content.decode()
    assert "The file has no column for class" in page
    assert not LessonImport.objects.exists()


def test_cancelling_changes_nothing(world, client_as):
    client = client_as("senco")
    upload(client, GOOD)
    batch = LessonImport.objects.get()
    client.post(reverse("exchange:lessons_confirm", args=[batch.pk]), {"action": "cancel"})
    batch.refresh_from_db()
    assert batch.status == "cancelled"
    assert not Lesson.objects.exists()
