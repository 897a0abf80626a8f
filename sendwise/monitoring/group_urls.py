"""The group scores page, under /delivery/groups/<group_id>/scores/ (namespace ``group_scores``:
the page belongs to monitoring, which stands above delivery)."""

from django.urls import path

from sendwise.monitoring import group_views

app_name = "group_scores"

urlpatterns = [
    path("", group_views.group_scores, name="enter"),
]
