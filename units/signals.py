"""Every change to who has which role (the user–group link) becomes ``RoleChange`` rows,
whichever side it was made from (``user.groups`` or ``group.user_set``), with the signed-in
person who made it (the request simple-history's middleware keeps) when there is one."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from .models import RoleChange, User

PENDING = "_role_links_leaving"  # links about to be removed or cleared, kept on the instance


def _acting_user():
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _links(instance, reverse, pk_set=None):
    """(user id, group id) pairs that exist now between ``instance`` and ``pk_set`` (all
    of its links when None)."""
    through = User.groups.through
    own, other = ("group_id", "user_id") if reverse else ("user_id", "group_id")
    rows = through.objects.filter(**{own: instance.pk})
    if pk_set is not None:
        rows = rows.filter(**{f"{other}__in": pk_set})
    return list(rows.values_list("user_id", "group_id"))


def _record(pairs, added):
    if not pairs:
        return
    names = dict(Group.objects.filter(pk__in={g for _u, g in pairs}).values_list("pk", "name"))
    by = _acting_user()
    RoleChange.objects.bulk_create(
        RoleChange(user_id=u, role=names.get(g, str(g)), added=added, changed_by=by)
        for u, g in pairs
    )


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="units_record_role_changes")
def record_role_changes(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_remove":
        setattr(instance, PENDING, _links(instance, reverse, pk_set))
    elif action == "pre_clear":
        setattr(instance, PENDING, _links(instance, reverse))
    elif action in ("post_remove", "post_clear"):
        _record(getattr(instance, PENDING, []), added=False)
        if hasattr(instance, PENDING):
            delattr(instance, PENDING)
    elif action == "post_add" and pk_set:
        # pk_set holds only the links that were actually added
        if reverse:
            pairs = [(user_id, instance.pk) for user_id in pk_set]
        else:
            pairs = [(instance.pk, group_id) for group_id in pk_set]
        _record(pairs, added=True)
