"""Monitoring URLs: scores under /pupils/<pupil_id>/scores/; the progress pages of a pupil, in
the ``pupils`` namespace under /pupils/; the review meeting of a plan, which joins the
``planning`` namespace under /pupils/<pupil_id>/plans/ (the review keeps its address); pages
about the whole school (the pupils who need a decision, the reviews due) in the root namespace."""

from django.urls import path

from sendwise.monitoring import (
    correction_views,
    escalation_views,
    progress_views,
    review_views,
    views,
)

app_name = "monitoring"

urlpatterns = [
    path("", correction_views.scores, name="scores"),
    path("add/", views.score_add, name="score_add"),
    path("<int:score_id>/correct/", correction_views.score_correct, name="score_correct"),
    path("<int:score_id>/withdraw/", correction_views.score_withdraw, name="score_withdraw"),
]

#: In the ``planning`` namespace, under /pupils/<pupil_id>/plans/.
plan_reviews = [
    path("<int:plan_id>/review/", review_views.review_hold, name="review"),
    path("<int:plan_id>/review/record/", review_views.review_record, name="review_record"),
    path("<int:plan_id>/review/share/", review_views.review_share, name="review_share"),
    path(
        "<int:plan_id>/review/escalations/<int:decision_id>/",
        escalation_views.escalation_done,
        name="escalation_done",
    ),
]

#: In the root namespace (pages about the whole school, not one pupil).
school_urlpatterns = [
    path("monitoring/decisions/", views.decisions, name="decisions"),
    path("reviews/", review_views.reviews_due, name="reviews_due"),
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
