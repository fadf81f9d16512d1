"""Start-up configuration, checked in a fresh interpreter with a controlled environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_check(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean["ENV_FILE"] = os.devnull  # a developer's .env must not change the outcome
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "longgang_reform.settings"
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_debug_off_without_secret_key_refuses_to_start():
    result = _run_check()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_with_secret_key_starts():
    result = _run_check(SECRET_KEY="k" * 60, DEBUG="false")
    assert result.returncode == 0, result.stderr


def test_debug_on_starts_without_secret_key():
    result = _run_check(DEBUG="true")
    assert result.returncode == 0, result.stderr
