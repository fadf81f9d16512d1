import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must still allow
# its synchronous ORM calls there (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """PBKDF2 is slow on purpose; tests only need passwords that work."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _interface_language_of_each_test_is_chinese():
    """A request in English leaves English active in the test thread; a test that then
    reads a form's messages directly would read them in English. Each test starts in the
    site's language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _nothing_cached_from_another_test():
    """Pages, fragments and permissions are cached under the data stamp
    (projects.freshness); each test starts with an empty cache, so what it counts and sees
    never depends on the tests that ran before it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser. Without it the browser tests skip
    locally with a reason, and fail in CI, where it must be installed."""
    if not Path(CHROMIUM).exists():
        message = "Chromium is not installed (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def screenshots():
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return shoot


class SMTPInbox:
    """What a real SMTP server received: ``messages`` holds each one parsed
    (email.message.EmailMessage, headers decoded), ``url`` is the server's EMAIL_URL."""

    def __init__(self):
        self.messages = []
        self.url = None

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) in a thread on 127.0.0.1, for one test."""
    import socket

    from aiosmtpd.controller import Controller

    inbox = SMTPInbox()
    for _attempt in range(5):  # aiosmtpd 1.4 cannot listen on port 0: take a free port
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        try:
            controller.start()
        except OSError:  # taken in between: try another
            continue
        break
    else:
        pytest.fail("no free port for the SMTP server")
    inbox.url = f"smtp://127.0.0.1:{port}"
    yield inbox
    controller.stop()
