"""Send the task queue and task progress to settings.TASK_DATABASE (ADR 0010).

On SQLite that alias is a second small file under var/, so a heartbeat is never blocked by the
write lock that an import's transaction holds on the main file; on PostgreSQL it is the same
database over a second connection. Tests point TASK_DATABASE at "default", so the immediate
backend runs a task inside the test's own transaction.

Migrations: the tables of these apps are created on the aliases in settings.TASK_TABLES_IN
("tasks" for the SQLite file, "default" when both aliases are one PostgreSQL database); every
other app only on "default". A migration's own queries (historical models in RunPython) go to
the first of those aliases, where the migration itself runs: django-tasks-db's migration 0016
queries without `.using(...)`, and on PostgreSQL a second connection to the table that the
migration's transaction has altered would wait on it for ever.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

#: App labels whose rows live on TASK_DATABASE: the queue (django-tasks-db) and TaskProgress.
TASK_APPS = frozenset({"tasks", "django_tasks_database"})


class TaskDatabaseRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label not in TASK_APPS:
            return None
        if model._meta.apps is not global_apps:  # a historical model, inside a migration
            return settings.TASK_TABLES_IN[0]
        return settings.TASK_DATABASE

    db_for_write = db_for_read

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label in TASK_APPS:
            return db in settings.TASK_TABLES_IN
        return db == DEFAULT_DB_ALIAS
