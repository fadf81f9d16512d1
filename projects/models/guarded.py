"""Models that say who may do what with them."""

from django.core.exceptions import PermissionDenied


class Guarded:
    """A model whose ``ACCESS`` maps each need (``"read"``, ``"report"``…) to the method that
    decides it and the message a refused user reads. Access helpers and services both ask
    ``require``, so a rule and its message live in one place.

    ``lock_reason(need)`` says why nobody may ``need`` the object now, whatever their role
    (its plan was closed, the project was closed out…); a refusal then gives that reason
    rather than naming the role that may."""

    ACCESS = {}

    def allows(self, user, need):
        method, _message = self.ACCESS[need]
        return getattr(self, method)(user)

    def lock_reason(self, need):
        return None

    def refusal(self, need):
        return self.lock_reason(need) or self.ACCESS[need][1]

    def require(self, user, need):
        method, _message = self.ACCESS[need]
        if not getattr(self, method)(user):
            raise PermissionDenied(self.refusal(need))
