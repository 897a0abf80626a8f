from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "sendwise.pages"
    label = "pages"
    verbose_name = "Pages composed from several apps"

    def ready(self) -> None:
        from sendwise.pages import recommend_signals  # the models are ready only now

        recommend_signals.connect()
