"""Sign-in forms that check the username's length before anything looks it up."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

USERNAME_LIMIT = 150  # AbstractUser.username's max_length


class _LengthChecked:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django sets max_length on this field after creating it, so the validator that
        # would enforce it is missing; without it a long name reached django-axes' log.
        self.fields["username"].validators.append(MaxLengthValidator(USERNAME_LIMIT))


class LoginForm(_LengthChecked, AuthenticationForm):
    pass


class AdminLoginForm(_LengthChecked, AdminAuthenticationForm):
    pass
