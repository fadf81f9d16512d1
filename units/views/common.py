"""What the pages of the directory and of the accounts share."""

from django.contrib import messages
from django.shortcuts import redirect, render

from ..forms import SearchForm
from ..services import save_form


def list_page(request, queryset, template, context=None):
    """A list with the ``?q=`` search (matching as the pickers do); a search that is too
    long gets the message and the whole list, with status 400."""
    search = SearchForm(request.GET)
    rows = queryset.matching(search.text()) if search.is_valid() else queryset
    status = 200 if search.is_valid() else 400
    context = {**(context or {}), "search": search, "rows": rows}
    return render(request, template, context, status=status)


def edit_page(request, form_class, instance, *, template, success, done, context, **save):
    """Show the form; on POST validate and save (``save_form``: ``before``/``after``),
    then say so and go to ``done``. Invalid input: the form again with status 400, and
    nothing saved."""
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
        if form.is_valid() and save_form(form, **save) is not None:
            messages.success(request, success(form.instance))
            return redirect(done)
    else:
        form = form_class(instance=instance)
    status = 400 if form.is_bound else 200
    return render(request, template, {**context, "form": form}, status=status)
