"""Monitoring URLs, under /pupils/<pupil_id>/scores/."""

from django.urls import path

from sendwise.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("add/", views.score_add, name="score_add"),
]
