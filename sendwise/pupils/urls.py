from django.urls import path

from sendwise.pupils import profile_views, register_views, views

app_name = "pupils"

urlpatterns = [
    path("", views.register, name="register"),
    path("export/", register_views.register_export, name="export"),
    path("census-checks/", register_views.census_checks, name="census_checks"),
    path("skills/", profile_views.skills_vocabulary, name="skills"),
    path("<int:pupil_id>/changes/", views.changes, name="changes"),
    path("<int:pupil_id>/edit/", views.pupil_edit, name="edit"),
    path("<int:pupil_id>/archive/", views.pupil_archive, name="archive"),
    path("<int:pupil_id>/needs-profile/", profile_views.needs_profile_edit, name="needs_profile"),
    path("<int:pupil_id>/skills/add/", profile_views.skill_need_add, name="skill_add"),
    path(
        "<int:pupil_id>/skills/<int:skill_need_id>/remove/",
        profile_views.skill_need_remove,
        name="skill_remove",
    ),
    path(
        "<int:pupil_id>/one-page-profile/", profile_views.one_page_profile, name="one_page_profile"
    ),
    path(
        "<int:pupil_id>/one-page-profile/edit/",
        profile_views.one_page_profile_edit,
        name="one_page_profile_edit",
    ),
    path("<int:pupil_id>/voice/add/", profile_views.voice_add, name="voice_add"),
]

#: Patterns in the root namespace (the classes of the school).
school_urlpatterns = [path("school/classes/", register_views.classes, name="classes")]
