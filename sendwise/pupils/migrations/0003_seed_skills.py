"""Seed the shared skills vocabulary (sendwise/pupils/skills.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from sendwise.pupils.skills import SKILLS

    Skill = apps.get_model("pupils", "Skill")
    for slug, name, area, description in SKILLS:
        Skill.objects.update_or_create(
            school=None, slug=slug, defaults={"name": name, "area": area, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("pupils", "0002_alter_historicalpupil_home_language_and_more")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
