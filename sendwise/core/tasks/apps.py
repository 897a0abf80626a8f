from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "sendwise.core.tasks"
    label = "tasks"
    verbose_name = "Background work"
