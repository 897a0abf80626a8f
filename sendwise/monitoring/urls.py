"""Monitoring URLs, under /pupils/<pupil_id>/scores/; and, in the ``pupils`` namespace (the
root URLconf adds them under /pupils/), the progress pages of a pupil."""

from django.urls import path

from sendwise.monitoring import progress_views, views

app_name = "monitoring"

urlpatterns = [
    path("add/", views.score_add, name="score_add"),
]

#: In the ``pupils`` namespace, under /pupils/.
pupils = [
    path("<int:pupil_id>/progress/", progress_views.child_progress, name="progress"),
    path(
        "<int:pupil_id>/outcomes/<int:outcome_id>/progress/",
        progress_views.outcome_progress,
        name="outcome_progress",
    ),
]
