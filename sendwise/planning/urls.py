from django.urls import path

from sendwise.planning import correction_views, views

app_name = "planning"

urlpatterns = [
    path("new/", views.plan_new, name="plan_new"),
    path("<int:plan_id>/outcomes/add/", views.outcome_add, name="outcome_add"),
    path("<int:plan_id>/add/<slug:slug>/", views.placement_add, name="placement_add"),
    path(
        "<int:plan_id>/outcomes/<int:outcome_id>/withdraw/",
        views.outcome_withdraw,
        name="outcome_withdraw",
    ),
    path(
        "<int:plan_id>/outcomes/<int:outcome_id>/correct/",
        correction_views.outcome_correct,
        name="outcome_correct",
    ),
    path(
        "<int:plan_id>/support/<int:placement_id>/correct/",
        correction_views.placement_correct,
        name="placement_correct",
    ),
    path(
        "<int:plan_id>/review-date/",
        correction_views.review_date_change,
        name="review_date_change",
    ),
    path("<int:plan_id>/changes/", correction_views.plan_changes, name="plan_changes"),
]
