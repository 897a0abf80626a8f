"""Who is acting, in which school, with which roles.

Every request carries an `Actor`: the signed-in user, the school they are working in now (a
person may hold roles in several schools and switches between them), the trust an adviser
covers, and the roles held there. Selectors take the actor, so every read is scoped to what this
person may see in this school, and nothing crosses from one school to another.
"""

from dataclasses import dataclass, field

from sendwise.core.models import Membership, School, Trust, User
from sendwise.core.roles import STAFF_ROLES, Role

SESSION_SCHOOL_KEY = "sendwise_school_id"


@dataclass(frozen=True)
class Actor:
    user: User | None
    school: School | None = None
    trust: Trust | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    #: Every school where the user holds a role, for the school switcher.
    schools: tuple[School, ...] = ()
    #: The address the request came from (set by the middleware), so that services and
    #: selectors can record "from where" in the audit log without the request.
    ip: str | None = None
    #: Every role the person holds anywhere (a second factor is required if any one needs it).
    all_roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_adviser(self) -> bool:
        return Role.LA_ADVISER in self.roles

    @property
    def is_family_only(self) -> bool:
        """A parent or carer with no staff or adviser role: pages speak to them as a family."""
        return bool(self.roles) and self.roles <= {Role.PARENT}


ANONYMOUS = Actor(user=None)


def _made_first(membership: Membership) -> int:
    return membership.pk


def actor_for(user: User, school_id: int | None = None, *, ip: str | None = None) -> Actor:
    """Build the actor for `user`, working in `school_id` if they hold a role there.

    One query loads every membership with its school and trust. An adviser's membership names a
    trust (or local authority) rather than a school.

    Every signed-in request runs this, so the memberships (a person has one to a few) are put in
    the order they were made here rather than by the database: an ``ORDER BY`` beside the three
    joins cost Django about a third more to compile than the joins alone (``benchmarks/`` figures
    in ADR 0027), and sorting a handful of rows costs nothing.
    """
    if user is None or not user.is_authenticated:
        return Actor(user=None, ip=ip) if ip else ANONYMOUS
    memberships = sorted(
        Membership.objects.filter(user_id=user.pk)
        .select_related("school", "school__trust", "trust")
        .order_by(),
        key=_made_first,
    )
    all_roles = frozenset(m.role for m in memberships)
    schools: dict[int, School] = {}
    for m in memberships:
        if m.school_id is not None:
            schools.setdefault(m.school_id, m.school)
    adviser = next((m for m in memberships if m.role == Role.LA_ADVISER and m.trust_id), None)
    if adviser is not None and not schools:
        return Actor(
            user=user,
            trust=adviser.trust,
            roles=frozenset({Role.LA_ADVISER}),
            ip=ip,
            all_roles=all_roles,
        )
    if not schools:
        return Actor(user=user, ip=ip, all_roles=all_roles)
    current = schools.get(school_id) if school_id else None
    if current is None:
        # The school of the person's first membership: their "home" school.
        current = next(iter(schools.values()))
    roles = frozenset(m.role for m in memberships if m.school_id == current.id)
    return Actor(
        user=user,
        school=current,
        trust=current.trust,
        roles=roles,
        schools=tuple(sorted(schools.values(), key=lambda s: s.name)),
        ip=ip,
        all_roles=all_roles,
    )
