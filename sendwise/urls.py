"""SENDwise URLs. Every pattern here must have a row in tests/core/test_authorization.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("sendwise.core.urls")),
    path("pupils/", include("sendwise.pupils.urls")),
    path("pupils/<int:pupil_id>/plans/", include("sendwise.planning.urls")),
    path("pupils/<int:pupil_id>/scores/", include("sendwise.monitoring.urls")),
    path("import/", include("sendwise.exchange.urls")),
    path("interventions/", include("sendwise.evidence.urls")),
    path("concerns/", include("sendwise.concerns.urls")),
    path("delivery/", include("sendwise.delivery.urls")),
]

handler403 = "sendwise.core.errors.permission_denied"
handler404 = "sendwise.core.errors.page_not_found"
handler500 = "sendwise.core.errors.server_error"
