"""Counting requests in a fixed window, in Django's cache (see CACHES in settings)."""

import hashlib

from django.core.cache import cache


def over_limit(scope, key, limit, window=3600):
    """Count one request for ``key``; True when it is more than ``limit`` in the window
    that began with the first one. Keys are hashed: no address is stored as such."""
    digest = hashlib.sha256(str(key).encode()).hexdigest()
    cache_key = f"throttle:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count > limit
