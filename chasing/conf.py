"""The chasing settings, read from Django's settings with their defaults (the README's
Configuration table lists the environment variables)."""

from django.conf import settings

DEFAULTS = {
    # days before the due date the first reminder goes out
    "REMINDER_DAYS_BEFORE": 3,
    # after the due date: the day after, then every this many days while still late
    "REMINDER_REPEAT_DAYS": 3,
    # an item this many days past its due date becomes 督办
    "ESCALATE_AFTER_DAYS": 7,
    # a leader's instruction is due this many days after it was issued
    "INSTRUCTION_DUE_DAYS": 14,
    # seconds a group-robot webhook may take to answer
    "WEBHOOK_TIMEOUT": 5,
    # allow webhook URLs to localhost and private addresses (an intranet 政务微信)
    "WEBHOOK_ALLOW_PRIVATE": False,
    # a failed reminder is tried again on the next runs, at most this many times in all
    "REMINDER_MAX_ATTEMPTS": 5,
    # the site's address for links in mail and robot messages (https://reform.example.gov.cn)
    "SITE_URL": "",
}

# A checkpoint not started yet joins the to-do list this many days before its planned date.
CHECKPOINT_SOON_DAYS = 30


def get(name):
    return getattr(settings, name, DEFAULTS[name])
