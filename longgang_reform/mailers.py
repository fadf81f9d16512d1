"""EMAIL_URL (django-environ's URL forms) to a Django 6.1 MAILERS entry."""

import environ
from django.core.mail.backends.console import EmailBackend as ConsoleBackend

SMTP_TIMEOUT = 10  # seconds: a mail server that hangs must not hold a worker


def mailer_from_url(url):
    """``smtp://host:port``, ``smtp+tls://user:password@host:587``, ``smtp+ssl://…:465`` or
    ``consolemail://`` as ``{"BACKEND": …, "OPTIONS": {…}}`` for ``MAILERS["default"]``.

    django-environ parses the URL into the old EMAIL_* names, which Django 6.1 deprecates in
    favour of MAILERS; only the options the backend takes are passed on.
    """
    config = environ.Env.email_url_config(url)
    names = {
        "EMAIL_HOST": "host",
        "EMAIL_PORT": "port",
        "EMAIL_HOST_USER": "username",
        "EMAIL_HOST_PASSWORD": "password",
        "EMAIL_USE_TLS": "use_tls",
        "EMAIL_USE_SSL": "use_ssl",
    }
    options = {option: config[key] for key, option in names.items() if config.get(key)}
    backend = config["EMAIL_BACKEND"]
    if backend == "django.core.mail.backends.console.EmailBackend":
        backend = "longgang_reform.mailers.ReadableConsoleBackend"
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        options["timeout"] = SMTP_TIMEOUT
    return {"BACKEND": backend, "OPTIONS": options}


class ReadableConsoleBackend(ConsoleBackend):
    """Development (consolemail://): print each message as a person reads it. Django's
    console backend prints the raw message, whose Chinese body is base64-encoded, so the
    reset link could not be read or clicked in the terminal."""

    def write_message(self, message):
        self.stream.write(
            f"From: {message.from_email}\nTo: {', '.join(message.to)}\n"
            f"Subject: {message.subject}\n\n{message.body}\n{'-' * 79}\n"
        )
