"""Monitoring URLs, under /pupils/<pupil_id>/scores/."""

from django.urls import path

from sendwise.monitoring import correction_views, views

app_name = "monitoring"

urlpatterns = [
    path("", correction_views.scores, name="scores"),
    path("add/", views.score_add, name="score_add"),
    path("<int:score_id>/correct/", correction_views.score_correct, name="score_correct"),
    path("<int:score_id>/withdraw/", correction_views.score_withdraw, name="score_withdraw"),
]
