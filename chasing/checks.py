"""A system check: the chasing settings must make sense (whole days, not negative)."""

from urllib.parse import urlsplit

from django.core.checks import Error, register

from . import conf

WHOLE_DAYS = ("REMINDER_DAYS_BEFORE", "REMINDER_REPEAT_DAYS", "ESCALATE_AFTER_DAYS")


@register()
def chasing_settings(app_configs, **kwargs):
    errors = []
    for name in (*WHOLE_DAYS, "INSTRUCTION_DUE_DAYS"):
        value = conf.get(name)
        if not isinstance(value, int) or value < 0:
            errors.append(
                Error(f"{name} must be a whole number of days, 0 or more.", id="chasing.E001")
            )
    if conf.get("REMINDER_REPEAT_DAYS") == 0:
        errors.append(Error("REMINDER_REPEAT_DAYS must be 1 or more.", id="chasing.E002"))
    if not conf.get("WEBHOOK_TIMEOUT") or conf.get("WEBHOOK_TIMEOUT") <= 0:
        errors.append(
            Error("WEBHOOK_TIMEOUT must be a positive number of seconds.", id="chasing.E003")
        )
    site = conf.get("SITE_URL")
    if site and urlsplit(site).scheme not in ("http", "https"):
        errors.append(Error("SITE_URL must start with https:// or http://.", id="chasing.E004"))
    return errors
