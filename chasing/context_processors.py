"""The header's to-do count, computed only when a page shows it, once per request."""

from projects.freshness import cached

from .todo import count


def todo(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def todo_count():
        # the to-do page sets it from the lists it has just built
        if not hasattr(request, "chasing_todo_count"):
            # the user's own number, cached under the data stamp on pages that read it
            request.chasing_todo_count = cached(
                request, "todo-count", [user.pk], lambda: count(request)
            )
        return request.chasing_todo_count

    return {"todo_count": todo_count}
