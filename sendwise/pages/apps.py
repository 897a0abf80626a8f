from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "sendwise.pages"
    label = "pages"
    verbose_name = "Pages composed from several apps"
