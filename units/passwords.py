"""Temporary passwords that an administrator gives out: generated here or typed, checked by
Django's password validators, stored only as a hash; a generated one is shown once, on the
page that answers the save, and kept nowhere else."""

import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

# no 0/O, 1/l/I: read aloud or copied from a screen without mistakes
ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
GROUPS, GROUP_SIZE = 3, 4  # "xxxx-xxxx-xxxx": about 70 bits


def generate_temporary_password(user=None):
    """A random password that Django's validators accept for ``user``."""
    while True:
        password = "-".join(
            "".join(secrets.choice(ALPHABET) for _ in range(GROUP_SIZE)) for _ in range(GROUPS)
        )
        try:
            password_validation.validate_password(password, user)
        except ValidationError:  # pragma: no cover - vanishingly rare
            continue
        return password
