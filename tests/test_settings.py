"""Start-up configuration, checked in a fresh interpreter with a controlled environment."""

from .base import run_manage


def test_debug_off_without_secret_key_refuses_to_start():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_with_secret_key_starts():
    result = run_manage("check", SECRET_KEY="k" * 60, DEBUG="false")
    assert result.returncode == 0, result.stderr


def test_debug_on_starts_without_secret_key():
    result = run_manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr
