from django.urls import path

from sendwise.core import account_views, views

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/", account_views.account, name="account"),
    path("accounts/sessions/<int:session_id>/end/", account_views.session_end, name="session_end"),
    path("accounts/two-factor/", account_views.second_factor_verify, name="second_factor_verify"),
    path(
        "accounts/two-factor/set-up/",
        account_views.second_factor_setup,
        name="second_factor_setup",
    ),
    path(
        "accounts/two-factor/remove/",
        account_views.second_factor_remove,
        name="second_factor_remove",
    ),
    path(
        "accounts/two-factor/recovery-codes/",
        account_views.recovery_codes,
        name="recovery_codes",
    ),
    path("accounts/password-reset/", account_views.password_reset, name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        account_views.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        account_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "accounts/invitation/<int:invitation_id>/<str:token>/",
        account_views.invitation_accept,
        name="invitation_accept",
    ),
    path("school/staff/invitations/", account_views.invitations, name="invitations"),
    path("school/staff/invite/", account_views.invitation_new, name="invitation_new"),
    path(
        "school/staff/invitations/<int:invitation_id>/revoke/",
        account_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("audit/", views.audit_log, name="audit_log"),
    path("school/staff/", views.staff, name="staff"),
    path("school/switch/", views.switch_school, name="switch_school"),
    path("healthz", views.healthz, name="healthz"),
]
