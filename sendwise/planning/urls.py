from django.urls import path

from sendwise.planning import views

app_name = "planning"

urlpatterns = [
    path("new/", views.plan_new, name="plan_new"),
    path("<int:plan_id>/outcomes/add/", views.outcome_add, name="outcome_add"),
    path("<int:plan_id>/activate/", views.plan_activate, name="plan_activate"),
    path("<int:plan_id>/add/<slug:slug>/", views.placement_add, name="placement_add"),
    path(
        "<int:plan_id>/outcomes/<int:outcome_id>/withdraw/",
        views.outcome_withdraw,
        name="outcome_withdraw",
    ),
]
