"""Fill `pupils.PupilAccess` from today's relationships, the same rows `access_check` expects.

It lives in `delivery`, the highest app whose relationships it reads (class staff and contacts
in pupils, named deliverers in planning, group members here), and uses the historical models
only, so it keeps working whatever the apps' code becomes. Reversing it empties the table.
"""

from django.db import migrations
from django.utils import timezone

BATCH = 2000


def fill(apps, schema_editor):
    ClassStaff = apps.get_model("pupils", "ClassStaff")
    Contact = apps.get_model("pupils", "Contact")
    Pupil = apps.get_model("pupils", "Pupil")
    PupilAccess = apps.get_model("pupils", "PupilAccess")
    Placement = apps.get_model("planning", "Placement")
    GroupMember = apps.get_model("delivery", "GroupMember")
    now = timezone.now()
    rows = set()

    # Staff of a class see its pupils (archived pupils too: the selectors hide those).
    by_class = {}
    for link_id, school, class_id, user_id in ClassStaff.objects.values_list(
        "pk", "school_id", "class_group_id", "user_id"
    ):
        by_class.setdefault((school, class_id), []).append((link_id, user_id))
    for pupil_id, school, class_id in Pupil._default_manager.filter(
        class_group__isnull=False
    ).values_list("pk", "school_id", "class_group_id"):
        for link_id, user_id in by_class.get((school, class_id), []):
            rows.add((school, pupil_id, user_id, "class_staff", link_id))
    # Parents and carers whose contact record has a sign-in account.
    for contact_id, school, pupil_id, user_id in Contact.objects.filter(
        user__isnull=False
    ).values_list("pk", "school_id", "pupil_id", "user_id"):
        rows.add((school, pupil_id, user_id, "parent", contact_id))
    # Named deliverers of plans not yet reviewed.
    for placement_id, school, pupil_id, user_id in (
        Placement.objects.filter(deliverer__isnull=False)
        .exclude(plan__status="reviewed")
        .values_list("pk", "school_id", "plan__pupil_id", "deliverer_id")
    ):
        rows.add((school, pupil_id, user_id, "named_deliverer", placement_id))
    # Deliverers of running groups, for the members who have not left.
    for member_id, school, pupil_id, user_id in GroupMember.objects.filter(
        left_on__isnull=True, group__archived=False, group__deliverer__isnull=False
    ).values_list("pk", "school_id", "placement__plan__pupil_id", "group__deliverer_id"):
        rows.add((school, pupil_id, user_id, "group_deliverer", member_id))

    PupilAccess.objects.bulk_create(
        [
            PupilAccess(
                school_id=school,
                pupil_id=pupil_id,
                user_id=user_id,
                basis=basis,
                source_id=source_id,
                starts_at=now,
            )
            for school, pupil_id, user_id, basis, source_id in sorted(rows)
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def empty(apps, schema_editor):
    apps.get_model("pupils", "PupilAccess").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0002_sessions_attendance"),
        ("planning", "0003_outcome_placement"),
        ("pupils", "0004_pupil_access"),
    ]

    operations = [migrations.RunPython(fill, empty)]
