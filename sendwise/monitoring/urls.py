"""Monitoring URLs: a pupil's scores under /pupils/<pupil_id>/scores/; the school's pupils who
need a decision at /monitoring/decisions/ (in the root namespace, as `decisions`)."""

from django.urls import path

from sendwise.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("add/", views.score_add, name="score_add"),
]

#: Patterns in the root namespace (pages about the whole school, not one pupil).
school_urlpatterns = [path("monitoring/decisions/", views.decisions, name="decisions")]
