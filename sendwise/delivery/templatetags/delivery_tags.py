"""Display helpers for delivery pages: when a group meets, and sums of money."""

from decimal import Decimal

from django import template
from django.urls import reverse

from sendwise.delivery import timetable
from sendwise.delivery.selectors import slot_label

register = template.Library()


@register.filter
def when(group) -> str:
    """ "Tuesday 09:10 and Thursday 09:10" from a group's (prefetched) slots."""
    return slot_label(group.slots.all())


@register.filter
def pounds(amount) -> str:
    """£12,000 or £120.50 (a minus sign before the pound sign when negative); empty for none."""
    if amount is None or amount == "":
        return ""
    value = Decimal(amount).quantize(Decimal("0.01"))
    sign = "−" if value < 0 else ""
    figure = f"{abs(value):,.0f}" if value == value.to_integral_value() else f"{abs(value):,.2f}"
    return f"{sign}£{figure}"


@register.filter
def absolute(amount):
    """The size of an amount, for "over budget by £300"."""
    return None if amount is None else abs(amount)


@register.filter
def school_year(year_starting: int) -> str:
    """2025 -> "2025/26": English school years start in September."""
    return f"{year_starting}/{(year_starting + 1) % 100:02d}"


@register.filter
def week(windows) -> list[str]:
    """StaffTime rows or timetable windows in short form, days with the same times together."""
    converted = [
        w
        if isinstance(w, timetable.Window)
        else timetable.Window(
            w.weekday,
            timetable.minutes_of(w.starts_at.hour, w.starts_at.minute),
            timetable.minutes_of(w.ends_at.hour, w.ends_at.minute),
        )
        for w in windows
    ]
    return timetable.week_summary(converted)


@register.simple_tag
def session_url(due) -> str:
    """The register of a due session (its time is given, for a group that meets twice a day)."""
    url = reverse("delivery:register", kwargs={"group_id": due.group.pk, "on": due.on.isoformat()})
    return f"{url}?at={due.slot.starts_at:%H:%M}"


@register.filter
def hours(minutes) -> str:
    """90 -> "1.5"; hours to one decimal place, from minutes."""
    if minutes is None or minutes == "":
        return ""
    return f"{Decimal(minutes) / 60:,.1f}"
