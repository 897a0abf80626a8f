from django.urls import path

from sendwise.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.plans, name="plans"),
    path("new/", views.plan_new, name="plan_new"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("<int:plan_id>/outcomes/add/", views.outcome_add, name="outcome_add"),
    path("<int:plan_id>/add/<slug:slug>/", views.placement_add, name="placement_add"),
    path("<int:plan_id>/review/", views.plan_review, name="review"),
]
