from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A CSRF refusal in the interface language, not Django's English page."""
    return render(request, "403_csrf.html", status=403)
