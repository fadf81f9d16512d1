"""Models that say who may do what with them."""

from django.core.exceptions import PermissionDenied


class Guarded:
    """A model whose ``ACCESS`` maps each need (``"read"``, ``"report"``…) to the method that
    decides it and the message a refused user reads. Access helpers and services both ask
    ``require``, so a rule and its message live in one place."""

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
