from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "sendwise.delivery"
    label = "delivery"
    verbose_name = "Delivery: staff, groups, timetable, costs and adaptations"

    def ready(self) -> None:
        # Registers the delivery permission rules with `rules`.
        from sendwise.delivery import permissions  # noqa: F401
