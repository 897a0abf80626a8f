"""The SENCO imports pupils from the MIS or a CTF: upload, preview, confirm, all or nothing."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sendwise.core.models import AuditEntry
from sendwise.exchange import services
from sendwise.exchange.models import ImportBatch
from sendwise.exchange.samples import make_csv, make_ctf
from sendwise.pupils.models import Pupil, SenNeed, SenProvisionRecord

FIXTURES = Path(__file__).parent / "fixtures"


def upload(client, name, data):
    return client.post(reverse("exchange:start"), {"file": SimpleUploadedFile(name, data)})


def confirm(client, batch, action="apply"):
    return client.post(
        reverse("exchange:confirm", kwargs={"batch_id": batch.pk}), {"action": action}
    )


def test_upload_preview_and_confirm_adds_every_pupil_with_sen_records(world, client_as):
    client = client_as("senco")
    before = Pupil.unscoped.filter(school=world.school).count()
    response = upload(client, "pupils.csv", make_csv(30, seed=4))
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("exchange:preview", kwargs={"batch_id": batch.pk})
    preview = client.get(response["Location"]).content.decode()
    assert "Check the import before it is applied" in preview
    assert Pupil.unscoped.filter(school=world.school).count() == before  # nothing saved yet
    confirm(client, batch)
    imported = Pupil.unscoped.filter(school=world.school).exclude(
        pk__in=[world.pupil_in_class.pk, world.pupil_elsewhere.pk]
    )
    assert imported.count() == 30
    with_sen = imported.exclude(sen_provision="N")
    assert with_sen.exists()
    assert (
        SenProvisionRecord.objects.filter(pupil__in=with_sen, end_date__isnull=True).count()
        == with_sen.count()
    )
    assert (
        SenNeed.objects.filter(pupil__in=with_sen, rank=1, end_date__isnull=True).count()
        == with_sen.count()
    )
    assert all(p.history.count() == 1 for p in imported[:5])
    assert (
        AuditEntry.objects.filter(action="create", detail="Imported from pupils.csv").count() == 30
    )
    batch.refresh_from_db()
    assert batch.status == "applied" and batch.summary["applied"]["new"] == 30


def test_reimporting_the_same_file_changes_nothing(world, client_as):
    client = client_as("senco")
    data = make_csv(20, seed=5)
    upload(client, "a.csv", data)
    confirm(client, ImportBatch.objects.get())
    rows = Pupil.history.count(), SenProvisionRecord.objects.count(), SenNeed.objects.count()
    upload(client, "a-again.csv", data)
    second = ImportBatch.objects.order_by("-id").first()
    preview = services.import_preview(batch=second)
    assert not preview.plan.has_changes and len(preview.plan.unchanged) == 20
    assert (
        "Nothing to apply"
        in client.get(reverse("exchange:preview", kwargs={"batch_id": second.pk})).content.decode()
    )
    confirm(client, second)
    assert (
        Pupil.history.count(),
        SenProvisionRecord.objects.count(),
        SenNeed.objects.count(),
    ) == rows


def test_a_changed_row_shows_the_change_and_keeps_the_old_value_in_history(world, client_as):
    client = client_as("senco")
    data = make_csv(5, seed=6)
    upload(client, "a.csv", data)
    confirm(client, ImportBatch.objects.get())
    pupil = (
        Pupil.unscoped.filter(school=world.school, last_name__isnull=False)
        .exclude(pk__in=[world.pupil_in_class.pk, world.pupil_elsewhere.pk])
        .order_by("id")
        .first()
    )
    changed = data.decode("utf-8").replace(pupil.first_name + ",", "Renamed,", 1).encode("utf-8")
    upload(client, "b.csv", changed)
    batch = ImportBatch.objects.order_by("-id").first()
    html = client.get(reverse("exchange:preview", kwargs={"batch_id": batch.pk})).content.decode()
    assert f"first_name: {pupil.first_name} → Renamed" in html
    confirm(client, batch)
    pupil.refresh_from_db()
    assert pupil.first_name == "Renamed"
    assert pupil.history.order_by("history_date").first().first_name != "Renamed"


def test_a_ctf_is_imported_too(world, client_as):
    client = client_as("admin")
    upload(client, "transfer.xml", make_ctf(8, seed=2))
    confirm(client, ImportBatch.objects.get())
    assert ImportBatch.objects.get().summary["applied"]["new"] == 8


def test_an_xml_bomb_is_refused_and_nothing_is_kept(world, client_as):
    response = upload(
        client_as("senco"), "bomb.xml", (FIXTURES / "billion_laughs.xml").read_bytes()
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert not ImportBatch.objects.exists()


def test_a_file_over_20_mb_is_refused_before_it_is_read(world, client_as):
    response = upload(client_as("senco"), "big.csv", b"x" * (services.MAX_UPLOAD_BYTES + 1))
    assert "the largest file SENDwise accepts is 20 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_rejected_rows_are_listed_with_row_and_field_and_not_imported(world, client_as):
    client = client_as("senco")
    lines = make_csv(3, seed=8).decode("utf-8").splitlines()
    cells = lines[2].split(",")
    cells[0] = "A123"  # a bad UPN on row 3
    lines[2] = ",".join(cells)
    upload(client, "bad.csv", ("\n".join(lines) + "\n").encode("utf-8"))
    batch = ImportBatch.objects.get()
    html = client.get(reverse("exchange:preview", kwargs={"batch_id": batch.pk})).content.decode()
    assert "Rejected rows" in html and "UPN" in html
    confirm(client, batch)
    assert batch.__class__.objects.get().summary["applied"] == {
        "new": 2,
        "changed": 0,
        "unchanged": 0,
        "rejected": 1,
    }


def test_an_import_is_all_or_nothing(world, client_as, monkeypatch):
    client = client_as("senco")
    upload(client, "a.csv", make_csv(10, seed=9))
    batch = ImportBatch.objects.get()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_sen_records", fail)
    before = Pupil.unscoped.count()
    response = confirm(client, batch)
    assert response["Location"] == reverse("exchange:preview", kwargs={"batch_id": batch.pk})
    assert Pupil.unscoped.count() == before
    batch.refresh_from_db()
    assert batch.status == "preview"
    html = client.get(response["Location"]).content.decode()
    assert "could not be applied, so nothing was changed: disk full" in html
    assert "Apply 10 changes" in html  # it can be tried again


def test_an_applied_import_cannot_be_applied_twice(world, client_as):
    client = client_as("senco")
    upload(client, "a.csv", make_csv(3, seed=10))
    batch = ImportBatch.objects.get()
    confirm(client, batch)
    response = client.get(reverse("exchange:preview", kwargs={"batch_id": batch.pk}))
    assert "Import applied" in response.content.decode()
    follow = confirm(client, batch)
    assert follow.status_code == 302
    assert "already been applied" in client.get(follow["Location"]).content.decode()


def test_another_schools_import_is_not_found(world, client_as):
    client_as("senco")
    upload(client_as("senco"), "a.csv", make_csv(2, seed=11))
    batch = ImportBatch.objects.get()
    other = client_as("other_school_senco")
    assert other.get(reverse("exchange:preview", kwargs={"batch_id": batch.pk})).status_code == 404
    assert confirm(other, batch).status_code == 404


def test_an_archived_pupil_in_the_file_is_listed_and_left_unchanged(world, client_as):
    from django.utils import timezone

    client = client_as("senco")
    data = make_csv(4, seed=13)
    upload(client, "a.csv", data)
    confirm(client, ImportBatch.objects.get())
    leaver = Pupil.unscoped.filter(school=world.school).order_by("-id").first()
    leaver.archived_at = timezone.now()
    leaver.save()
    changed = data.decode("utf-8").replace(leaver.first_name + ",", "Renamed,", 1).encode()
    upload(client, "b.csv", changed)
    batch = ImportBatch.objects.order_by("-id").first()
    html = client.get(reverse("exchange:preview", kwargs={"batch_id": batch.pk})).content.decode()
    assert "Pupils whose record is archived" in html and leaver.upn in html
    confirm(client, batch)
    leaver.refresh_from_db()
    assert leaver.first_name != "Renamed" and leaver.archived_at is not None


def test_imported_sen_records_keep_history_with_who_imported_them(world, client_as):
    client = client_as("senco")
    upload(client, "a.csv", make_csv(12, seed=14))
    confirm(client, ImportBatch.objects.get())
    assert SenProvisionRecord.history.filter(history_user=world.users["senco"]).exists()
    assert Pupil.history.filter(
        history_user=world.users["senco"], history_change_reason="Imported from a.csv"
    ).exists()
