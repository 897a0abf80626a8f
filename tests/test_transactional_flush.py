"""The flush after a transactional test (tests/conftest.py) empties the tables as Django's does,
and leaves the content types and permissions that Django's post_migrate would re-create."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TransactionTestCase

from tests.factories import PupilFactory


@pytest.mark.django_db(transaction=True)
def test_the_flush_after_a_transactional_test_empties_every_table_but_the_model_register():
    PupilFactory()
    TransactionTestCase("__init__")._fixture_teardown()

    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (Django's own tables)
            rows = cursor.fetchone()[0]
            if table in ("django_content_type", "auth_permission"):
                assert rows, f"{table} was emptied"
            else:
                assert rows == 0, f"{table} still has {rows} rows"
    # What post_migrate would have re-created is there: a content type for every model, and
    # Django's four permissions for each.
    models = [m for m in apps.get_models() if not m._meta.proxy]
    registered = set(ContentType.objects.values_list("app_label", "model"))
    assert {(m._meta.app_label, m._meta.model_name) for m in models} <= registered
    for model in models:
        assert Permission.objects.filter(
            content_type__app_label=model._meta.app_label,
            codename=f"view_{model._meta.model_name}",
        ).exists(), model
