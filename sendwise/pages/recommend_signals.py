"""What renews the stamps the recommendations' cached candidates are kept under
(``pages.recommend.school_candidates``, ``core.stamps``): a listener to each save and delete
of a row the candidates are made from, connected in ``PagesConfig.ready`` (pages is above every
app it listens to).

- the school's own catalogue entries, training, staff time, groups, their slots and members,
  costs, budgets, plans and placements (what a budget has left counts the year's placements):
  the school's stamp, but only when a field the candidates are built from changed (``READ``):
  a plan's review notes, a placement's response or a group's room change no recommendation,
  so saving them keeps the cached candidates (issue 12). Each such row remembers those fields
  as loaded (``post_init``, no query) and a save compares the fields it wrote with them (a
  field deferred at load and set since counts as changed); a new row or a delete always renews;
- a shared catalogue entry or study, or a person's details (a trained member of staff's name
  shows in a recommendation; signing in, which saves only the time of sign-in, does not
  count): every stamp;
- how similar pupils responded (``impact.ResponseAggregate``) is rebuilt in bulk by
  ``impact.bulk_services``, which renews its schools' and their trusts' stamps itself.

A bulk load that writes without saving row by row (the demo generator) renews every stamp
when it ends.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_init, post_save

from sendwise.core import stamps
from sendwise.delivery.models import Budget, Cost, Group, GroupMember, Slot, StaffTime, Training
from sendwise.evidence.models import Intervention, Study
from sendwise.planning.models import Placement, Plan

SCHOOL_ROWS = (Training, StaffTime, Group, GroupMember, Slot, Cost, Budget, Plan, Placement)
#: The fields of each school row that the candidates are built from (``delivery.selectors.
#: matcher_inputs``, ``budget_summary``, ``groups_active``; ``pages.recommend``): a save that
#: changes none of them renews nothing.
READ = {
    Training: ("school", "staff", "intervention"),
    StaffTime: ("school", "staff", "weekday", "starts_at", "ends_at"),
    # The group's name, times, deliverer and places are shown; archived ones are not running.
    Group: ("school", "intervention", "name", "deliverer", "places", "archived"),
    # Places taken: members who have not left. Joining or leaving changes it.
    GroupMember: ("school", "group", "placement", "left_on"),
    Slot: ("school", "group", "weekday", "starts_at", "minutes"),
    Cost: ("school", "intervention", "per_pupil"),
    Budget: ("school", "year_starting", "amount"),
    # What the budget has left: placements of plans started this year that are not drafts.
    Plan: ("school", "status", "start_date"),
    Placement: ("school", "plan", "intervention", "withdrawn_at"),
}
#: What a sign-in saves on the user: it changes nothing a recommendation shows.
SIGN_IN_FIELDS = frozenset({"last_login"})
#: Where a school row keeps its fields as loaded (in the instance's own ``__dict__``).
_LOADED = "_recommend_read"
_UNKNOWN = object()


def _attnames(model) -> tuple[str, ...]:
    return tuple(model._meta.get_field(name).attname for name in READ[model])


_ATTNAMES = {model: _attnames(model) for model in READ}


def _read_values(instance) -> tuple:
    # From __dict__, never getattr: a field deferred at load would be read with a query.
    return tuple(instance.__dict__.get(name, _UNKNOWN) for name in _ATTNAMES[type(instance)])


def on_school_row_loaded(sender, instance, **kwargs) -> None:
    instance.__dict__[_LOADED] = _read_values(instance)


def read_fields_changed(instance, update_fields=None) -> bool:
    """Whether a saved school row differs, in a field the candidates read, from the row as it
    was loaded or last saved (a field unknown then counts as changed); a save of named fields
    (``update_fields``) wrote only those, so only those are compared."""
    before = instance.__dict__.get(_LOADED)
    if before is None:
        return True
    model = type(instance)
    written = None
    if update_fields is not None:
        written = {model._meta.get_field(f).name for f in update_fields}
    now = _read_values(instance)
    return any(
        before[i] is _UNKNOWN or before[i] != now[i]
        for i, name in enumerate(READ[model])
        if written is None or name in written
    )


def on_school_row(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw:
        return
    changed = created or read_fields_changed(instance, update_fields)
    instance.__dict__[_LOADED] = _read_values(instance)  # the next save compares with this one
    if changed:
        stamps.renew(stamps.school(instance.school_id))


def on_school_row_deleted(sender, instance, **kwargs) -> None:
    stamps.renew(stamps.school(instance.school_id))


def on_intervention(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    if instance.school_id is None:
        stamps.renew(stamps.EVERYTHING)
    else:
        stamps.renew(stamps.school(instance.school_id))


def on_everything(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        stamps.renew(stamps.EVERYTHING)


def on_user(sender, instance, raw=False, created=False, update_fields=None, **kwargs) -> None:
    if raw or created or (update_fields and set(update_fields) <= SIGN_IN_FIELDS):
        return
    stamps.renew(stamps.EVERYTHING)


def connect() -> None:
    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        for model in SCHOOL_ROWS:
            signal.connect(
                on_school_row if signal is post_save else on_school_row_deleted,
                sender=model,
                dispatch_uid=f"recommend.{name}.{model.__name__}",
            )
        signal.connect(on_intervention, sender=Intervention, dispatch_uid=f"recommend.{name}.i")
        signal.connect(on_everything, sender=Study, dispatch_uid=f"recommend.{name}.study")
    for model in SCHOOL_ROWS:
        post_init.connect(
            on_school_row_loaded, sender=model, dispatch_uid=f"recommend.init.{model.__name__}"
        )
    post_save.connect(on_user, sender=get_user_model(), dispatch_uid="recommend.user")
