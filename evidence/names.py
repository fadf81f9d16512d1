"""File names: the one a user's file arrived with, made safe to keep and show; the random
one it is stored under; and the one a download offers (Content-Disposition)."""

import re
import secrets
import unicodedata
from urllib.parse import quote

NAME_MAX = 120  # characters kept of an original name, its extension included
UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(raw, limit=NAME_MAX):
    """The base name only (no folder from either kind of slash), without control or
    format characters (a right-to-left override can disguise ``fdp.exe``), leading dots
    or blanks; cut to ``limit`` characters keeping the extension. May return ""."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = extension[:10]
    room = limit - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip()
    if not stem:
        return ""
    return f"{stem}.{extension}" if extension else stem


def extension_of(name):
    """The lower-case extension of a name ('' if none)."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def storage_name(extension):
    """Where a file is stored: a random, unguessable name that owes nothing to the user."""
    return f"evidence/{secrets.token_hex(16)}.{extension}"


def content_disposition(name, fallback_stem):
    """``attachment`` with the name in UTF-8 (RFC 5987 ``filename*``, which browsers read)
    after an ASCII one for older clients: the name's ASCII letters and digits, or
    ``fallback_stem`` when none are left (a Chinese name)."""
    extension = extension_of(name)
    stem = name[: -(len(extension) + 1)] if extension else name
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = UNSAFE_ASCII.sub("_", ascii_stem).strip("._") or fallback_stem
    extension = UNSAFE_ASCII.sub("", extension)
    ascii_name = f"{ascii_stem}.{extension}" if extension else ascii_stem
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
