from django.urls import path

from sendwise.delivery import (
    calendar_views,
    class_views,
    cost_views,
    lesson_views,
    session_views,
    views,
)

app_name = "delivery"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<int:group_id>/", views.group_detail, name="group_detail"),
    path("groups/<int:group_id>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:group_id>/end/", views.group_end, name="group_end"),
    path("groups/<int:group_id>/members/add/", views.member_add, name="member_add"),
    path(
        "groups/<int:group_id>/members/<int:member_id>/leave/",
        views.member_leave,
        name="member_leave",
    ),
    path("sessions/", session_views.sessions, name="sessions"),
    path("groups/<int:group_id>/sessions/<str:on>/", session_views.register, name="register"),
    path("classes/<int:class_id>/this-week/", class_views.class_week, name="class_week"),
    path("staff/", views.staff_choose, name="staff_choose"),
    path("staff/<int:user_id>/", views.staff_edit, name="staff_edit"),
    path("budget/", views.budget, name="budget"),
    path("adaptations/", views.adaptation_list, name="adaptations"),
    path("adaptations/new/", views.adaptation_new, name="adaptation_new"),
    path("lessons/", lesson_views.lesson_classes, name="lesson_classes"),
    path("lessons/rules/", lesson_views.lesson_rules, name="lesson_rules"),
    path("lessons/<int:class_id>/", lesson_views.class_lessons, name="class_lessons"),
    path("lessons/<int:class_id>/<int:lesson_id>/", lesson_views.lesson_edit, name="lesson_edit"),
    path(
        "lessons/<int:class_id>/<int:lesson_id>/remove/",
        lesson_views.lesson_remove,
        name="lesson_remove",
    ),
    path("withdrawals/", lesson_views.withdrawals, name="withdrawals"),
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar/<int:closure_id>/", calendar_views.closure_edit, name="closure_edit"),
    path("calendar/<int:closure_id>/remove/", calendar_views.closure_remove, name="closure_remove"),
    path("costs/", cost_views.costs, name="costs"),
    path("provision-map/", cost_views.provision_map, name="provision_map"),
    path(
        "provision-map/pupils/<int:pupil_id>/", cost_views.pupil_provision, name="pupil_provision"
    ),
]
