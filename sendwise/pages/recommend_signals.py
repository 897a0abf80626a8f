"""What renews the stamps the recommendations' cached candidates are kept under
(``pages.recommend.school_candidates``, ``core.stamps``): a listener to each save and delete
of a row the candidates are made from, connected in ``PagesConfig.ready`` (pages is above every
app it listens to).

- the school's own catalogue entries, training, staff time, groups, their slots and members,
  costs, budgets, plans and placements (what a budget has left counts the year's placements):
  the school's stamp;
- a shared catalogue entry or study, or a person's details (a trained member of staff's name
  shows in a recommendation; signing in, which saves only the time of sign-in, does not
  count): every stamp;
- how similar pupils responded (``impact.ResponseAggregate``) is rebuilt in bulk by
  ``impact.bulk_services``, which renews its schools' and their trusts' stamps itself.

A bulk load that writes without saving row by row (the demo generator) renews every stamp
when it ends.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from sendwise.core import stamps
from sendwise.delivery.models import Budget, Cost, Group, GroupMember, Slot, StaffTime, Training
from sendwise.evidence.models import Intervention, Study
from sendwise.planning.models import Placement, Plan

SCHOOL_ROWS = (Training, StaffTime, Group, GroupMember, Slot, Cost, Budget, Plan, Placement)
#: What a sign-in saves on the user: it changes nothing a recommendation shows.
SIGN_IN_FIELDS = frozenset({"last_login"})


def on_school_row(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
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
                on_school_row, sender=model, dispatch_uid=f"recommend.{name}.{model.__name__}"
            )
        signal.connect(on_intervention, sender=Intervention, dispatch_uid=f"recommend.{name}.i")
        signal.connect(on_everything, sender=Study, dispatch_uid=f"recommend.{name}.study")
    post_save.connect(on_user, sender=get_user_model(), dispatch_uid="recommend.user")
