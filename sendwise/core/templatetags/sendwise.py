"""Small display helpers shared by templates."""

from django import template

from sendwise.core.roles import Role

register = template.Library()


@register.filter
def role_names(roles) -> str:
    """Roles held, in a stable order, as words: 'SENCO and teacher'."""
    names = [Role(role).label for role in sorted(roles)]
    names = [n if i == 0 or n == "SENCO" else n[0].lower() + n[1:] for i, n in enumerate(names)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@register.filter
def bar_width(count: int, total: int) -> int:
    """Percentage width of a bar in a simple bar chart (0 to 100)."""
    return round(100 * count / total) if total else 0


@register.filter
def percent(share) -> str:
    """A share from 0 to 1 as a whole percentage ('83%'); 'suppressed' for None."""
    return "suppressed" if share is None else f"{round(100 * share)}%"


@register.filter
def school_year(year) -> str:
    """A school year named by the calendar year it starts in, written as everywhere else in
    SENDwise: 2026 -> '2026/27'."""
    try:
        start = int(year)
    except (TypeError, ValueError):
        return ""
    return f"{start}/{(start + 1) % 100:02d}"
