"""Hardening (issue 9): sign-in throttling behind the proxy, unusual charsets, SQLite under
concurrent decisions, password reset by email and password-change throttling."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from units import roles

from .base import PASSWORD, make_user


@pytest.fixture
def bob(db):
    return make_user("bob", roles.UNIT_LIAISON)


def sign_in(client, password, *, forwarded_for=None, username="bob"):
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    return client.post(
        reverse("login"), {"username": username, "password": password}, headers=headers
    )


# ---------------------------------------------------------------------------------------
# 4. Behind the proxy the lockout keys on the client's address, not the proxy's
# ---------------------------------------------------------------------------------------


def fail_five_times(forwarded_for):
    attacker = Client()
    statuses = [
        sign_in(attacker, "wrong", forwarded_for=forwarded_for).status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]


def test_behind_the_proxy_an_attacker_locks_only_their_own_address(bob, settings):
    settings.BEHIND_PROXY = True
    fail_five_times("10.0.0.66")

    # the real user, on another machine behind the same proxy, signs in
    user = Client()
    response = sign_in(user, PASSWORD, forwarded_for="10.0.0.7")
    assert response.status_code == 302
    assert user.session["_auth_user_id"] == str(bob.pk)

    # the attacker's address stays locked, even with the right password
    response = sign_in(Client(), PASSWORD, forwarded_for="10.0.0.66")
    assert response.status_code == 429
    assert "已暂停登录" in response.content.decode()
    assert AccessAttempt.objects.get().ip_address == "10.0.0.66"


def test_behind_the_proxy_forged_left_hand_addresses_do_not_escape_the_lockout(bob, settings):
    """nginx appends the address it saw; whatever the client wrote before it is ignored."""
    settings.BEHIND_PROXY = True
    attacker = Client()
    statuses = [
        sign_in(attacker, "wrong", forwarded_for=f"203.0.113.{i}, 10.0.0.66").status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert sign_in(attacker, PASSWORD, forwarded_for="198.51.100.1, 10.0.0.66").status_code == 429
    assert sign_in(Client(), PASSWORD, forwarded_for="10.0.0.66, 10.0.0.7").status_code == 302


def test_proxy_count_two_takes_the_address_before_the_inner_proxy(bob, settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 2
    fail_five_times("203.0.113.9, 10.0.0.66, 192.168.1.2")
    assert AccessAttempt.objects.get().ip_address == "10.0.0.66"
    assert sign_in(Client(), PASSWORD, forwarded_for="10.0.0.7, 192.168.1.2").status_code == 302


def test_behind_the_proxy_a_request_without_the_header_uses_the_peer_address(bob, settings):
    settings.BEHIND_PROXY = True
    fail_five_times(None)
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"
    assert sign_in(Client(), PASSWORD, forwarded_for="10.0.0.7").status_code == 302


def test_without_the_proxy_setting_the_forwarded_header_is_ignored(bob, settings):
    settings.BEHIND_PROXY = False
    fail_five_times("10.0.0.66")
    # same peer address (the test client's 127.0.0.1), so the right password is refused too
    response = sign_in(Client(), PASSWORD, forwarded_for="10.0.0.7")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"
