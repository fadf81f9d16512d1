"""The public suggestion page's work, built for the open internet: limits checked in the cache
before anything touches the database, random receipt numbers, and filing a suggestion.

Order of the cheap checks on each POST (``refusal``): the body size (from the header, before
the body is read), then the sender's own limits per minute and per hour, then the limit for
everyone per hour. A sender over their own limit is refused before the shared count, so one
flooding address cannot use up everyone's allowance.
"""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from longgang_reform import throttle
from longgang_reform.clientip import client_ip

from .models import Call, Suggestion
from .models.suggestion import RECEIPT_ALPHABET, RECEIPT_LENGTH

TOO_LARGE, TOO_MANY = "too_large", "too_many"


def new_receipt():
    """12 characters from a 29-letter alphabet: about 58 bits, drawn by ``secrets``."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalize_receipt(raw):
    """A receipt as typed (any case, with dashes or spaces) → as stored, or None when it
    cannot be one."""
    value = "".join((raw or "").split()).replace("-", "").upper()[: RECEIPT_LENGTH + 1]
    if len(value) != RECEIPT_LENGTH or any(c not in RECEIPT_ALPHABET for c in value):
        return None
    return value


def body_too_large(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length <= 0 or length > settings.SUGGEST_MAX_BODY


def refusal(request):
    """Why this POST is refused before it is read (TOO_LARGE, TOO_MANY), or None."""
    if body_too_large(request):
        return TOO_LARGE
    address = client_ip(request)
    if throttle.over_limit("suggest-minute", address, settings.SUGGEST_PER_CLIENT_MINUTE, 60):
        return TOO_MANY
    if throttle.over_limit("suggest-hour", address, settings.SUGGEST_PER_CLIENT_HOUR, 3600):
        return TOO_MANY
    if throttle.over_limit("suggest-all", "all", settings.SUGGEST_GLOBAL_PER_HOUR, 3600):
        return TOO_MANY
    return None


def lookups_exceeded(request):
    """Status look-ups by receipt, per client address per hour (guessing costs time)."""
    return throttle.over_limit(
        "suggest-lookup", client_ip(request), settings.SUGGEST_LOOKUPS_PER_CLIENT, 3600
    )


def open_call(today=None):
    """The call open today (the newest plan's, if several), which a new suggestion joins."""
    today = today or timezone.localdate()
    calls = Call.objects.filter(opens_on__lte=today, closes_on__gte=today)
    return calls.order_by("-plan__year").first()


def file_suggestion(cleaned):
    """Store a suggestion (the public form's cleaned data) under a fresh receipt number."""
    fields = {name: cleaned[name] for name in ("topic", "text", "name", "contact")}
    call = open_call()
    for attempt in range(3):
        try:
            with transaction.atomic():
                return Suggestion.objects.create(receipt=new_receipt(), call=call, **fields)
        except IntegrityError:  # the same receipt drawn twice (about 1 in 2^58)
            if attempt == 2:
                raise
    return None
