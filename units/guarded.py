"""Models that say who may do what with them (a copy of ``projects.models.guarded``:
``units`` sits below ``projects`` and may not import it)."""

from django.core.exceptions import PermissionDenied


class Guarded:
    """A model whose ``ACCESS`` maps each need (``"list"``, ``"edit"``…) to the method that
    decides it and the message a refused user reads. Access helpers ask ``require``, so a
    rule and its message live in one place.

    Needs about the whole collection (``list``, ``add``) are asked of an unsaved instance:
    ``Unit().require(user, "add")``."""

    ACCESS = {}

    def allows(self, user, need):
        method, _message = self.ACCESS[need]
        return getattr(self, method)(user)

    def refusal(self, need):
        return self.ACCESS[need][1]

    def require(self, user, need):
        method, message = self.ACCESS[need]
        if not getattr(self, method)(user):
            raise PermissionDenied(message)
