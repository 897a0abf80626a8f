"""Schools, trusts, staff accounts, memberships (who holds which role where) and the audit log."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sendwise.core.history import history_user
from sendwise.core.roles import Role


class Trust(models.Model):
    """A multi-academy trust or a local authority: the group an adviser sees in aggregate."""

    class Kind(models.TextChoices):
        TRUST = "trust", "Multi-academy trust"
        LOCAL_AUTHORITY = "la", "Local authority"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TRUST)

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school, identified by its DfE unique reference number (URN)."""

    class Phase(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SPECIAL = "special", "Special"

    urn = models.CharField("URN", max_length=6, unique=True)
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    la_code = models.CharField("LA number", max_length=3)
    la_name = models.CharField("local authority", max_length=100)
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.PROTECT, related_name="schools"
    )
    #: How long an archived pupil's SEN record is kept: until this many years after their date
    #: of birth (sendwise/reports/retention.py explains the default and where it comes from).
    sen_records_kept_years = models.PositiveSmallIntegerField(
        "keep archived SEN records until the pupil's age",
        default=31,
        validators=[MinValueValidator(25), MaxValueValidator(100)],
        help_text="Years after the date of birth; at least 25, the age an EHC plan can last to",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address: staff, parents and advisers alike."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use Django's own admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email


class Membership(models.Model):
    """One role held by one person in one school, or (advisers) in one trust or authority."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    job_title = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_school_xor_trust",
                condition=(Q(school__isnull=False, trust__isnull=True))
                | (Q(school__isnull=True, trust__isnull=False, role=Role.LA_ADVISER)),
            ),
            models.UniqueConstraint(
                fields=["user", "school", "role"], name="membership_unique_school_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.school or self.trust}"


class AuditEntry(models.Model):
    """Who read or changed a pupil's record, when and from where. Rows are never edited."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        ARCHIVE = "archive", "Archived"
        EXPORT = "export", "Exported"
        #: Someone asked for a pupil that is missing, archived or not theirs to see (probing).
        REFUSED = "refused", "Refused"
        #: An archived pupil's record removed at the end of its retention period.
        REMOVE = "remove", "Removed"
        # Signing in and looking after an account (core.sign_in_audit), written in the log of
        # each school where the person holds a role; an address with no account, in none.
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in refused"
        SIGN_OUT = "sign_out", "Signed out"
        CODE_ACCEPTED = "code_accepted", "Second factor code accepted"
        CODE_REFUSED = "code_refused", "Second factor code refused"
        RECOVERY_CODE = "recovery_code", "Recovery code used"
        FACTOR_ADDED = "factor_added", "Second factor set up"
        FACTOR_REMOVED = "factor_removed", "Second factor turned off"
        RESET_REQUESTED = "reset_requested", "Password reset asked for"
        RESET_DONE = "reset_done", "Password changed by reset"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"

    #: Empty only for account events of someone with no school (an address with no account,
    #: an adviser who covers a trust): no school's log is theirs.
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=30, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50)
    object_repr = models.CharField(max_length=200)
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    #: The browser the request came from (its User-Agent header, cut to length), for account
    #: events: a sign-in from an unfamiliar browser is worth a second look.
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["school", "-at"], name="audit_school_at"),
            models.Index(fields=["school", "object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.object_repr} at {self.at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """A place on a school's staff offered by its administrator, waiting to be taken up: the
    role and job title the person will hold (the membership to be), sent to one email address.

    The link carries a token computed from the row and the site's secret key (as Django's
    password-reset tokens are; core.invitations), so nothing in the database or the task queue
    is enough to accept an invitation. It works once, until `expires_at`, and not after it is
    revoked. Rows are kept (accepted, revoked or expired) as the record of who was invited.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=30, choices=Role.choices)
    job_title = models.CharField(max_length=100, blank=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "-created_at"], name="invitation_school")]
        constraints = [
            models.CheckConstraint(
                name="invitation_not_accepted_and_revoked",
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.email}) as {self.get_role_display()}"

    def status(self, now=None) -> str:
        """ "accepted", "revoked", "expired" or "pending"."""
        now = now or timezone.now()
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"


class SignInSession(models.Model):
    """One signed-in session of a person (a browser on a device), recorded at sign-in so they
    can see where else they are signed in and end it. The session itself stays in Django's
    session table; `session_key` names it. Ended sessions are kept with when they ended."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    signed_in_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "-last_seen_at"],
                name="signin_session_open",
                condition=Q(ended_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"
