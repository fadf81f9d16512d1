"""Named queries over units, officials and accounts. Each owns its joins, so a list page
costs the same number of queries whatever the number of rows; ``matching`` is the search
shared by the list pages and the pickers' search endpoints."""

from django.contrib.auth.models import Group, UserManager
from django.db import models
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When

SEARCH_LIMIT = 20  # rows a search endpoint answers at most
QUERY_LIMIT = 50  # characters of a search at most
WORDS_LIMIT = 5  # words of a search that count (more are ignored)


def _matching(queryset, text, fields):
    """Rows in which every word of ``text`` occurs in one of ``fields`` (case-insensitive),
    those equal to the whole text first, then those starting with it, then the rest in
    the model's order."""
    text = " ".join(text.split())
    if not text:
        return queryset
    for word in text.split()[:WORDS_LIMIT]:
        anywhere = Q()
        for name in fields:
            anywhere |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(anywhere)
    exact, starts = Q(), Q()
    for name in fields:
        exact |= Q(**{f"{name}__iexact": text})
        starts |= Q(**{f"{name}__istartswith": text})
    rank = Case(
        When(exact, then=Value(0)),
        When(starts, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.annotate(match_rank=rank).order_by("match_rank", *ordering, "pk")


class UnitQuerySet(models.QuerySet):
    def for_directory(self):
        """The units list: each with its parent."""
        return self.select_related("parent")

    def matching(self, text):
        """By full name or short name: "发改" finds 区发改局 (龙岗区发展和改革局)."""
        return _matching(self, text, ["name", "short_name"])


class UnitManager(models.Manager.from_queryset(UnitQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class OfficialQuerySet(models.QuerySet):
    def for_directory(self):
        """The officials list: each with the unit and the account linked to it."""
        return self.select_related("unit", "user")

    def matching(self, text):
        """By name, position, or the full or short name of the official's unit."""
        return _matching(self, text, ["name", "position", "unit__name", "unit__short_name"])


class OfficialManager(models.Manager.from_queryset(OfficialQuerySet)):
    def get_by_natural_key(self, name, position):
        return self.get(name=name, position=position)


class AccountQuerySet(models.QuerySet):
    def for_directory(self):
        """The accounts list: each with unit, official and roles (two queries)."""
        roles = Prefetch("groups", queryset=Group.objects.order_by("name"))
        return self.select_related("unit", "official").prefetch_related(roles)

    def matching(self, text):
        """By username, name, email or unit."""
        fields = ["username", "first_name", "last_name", "email", "unit__name", "unit__short_name"]
        return _matching(self, text, fields)


class AccountManager(UserManager.from_queryset(AccountQuerySet)):
    pass
