"""Display helpers for monitoring pages: a decision rule's sentence worded for its reader."""

from django import template

from sendwise.core.permissions import actor_can
from sendwise.monitoring import progress_text

register = template.Library()


@register.simple_tag(takes_context=True)
def for_reader(context, sentence: str) -> str:
    """The sentence as the person reading the page should act on it: the SENCO's advice for
    the SENCO, the way to the SENCO for other staff (``progress_text.for_reader``). The request
    is kept by an ``{% include ... only %}``, so this works inside isolated partials. With no
    signed-in reader (a file rendered outside a request) the sentence is shown as written."""
    actor = getattr(getattr(context, "request", None), "actor", None)
    if actor is None or actor.user is None:
        return sentence or ""
    return progress_text.for_reader(
        sentence or "", may_change_plan=actor_can(actor, "planning.change_plans")
    )
