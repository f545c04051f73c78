"""Logins: repeated wrong passwords lock out, Django's password rules apply, sessions expire."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import logged_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.10"
ELSEWHERE = "198.51.100.20"


def log_in(client, username: str, password: str, address: str = OFFICE):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_until_locked(client, username: str, address: str = OFFICE) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, username, "wrong-password", address)
    assert response.status_code == 429


def test_a_wrong_password_says_so_in_vietnamese(client, scope):
    response = log_in(client, scope.province_user.username, "wrong-password")
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_too_many_wrong_passwords_lock_out_even_the_right_one(client, scope):
    fail_until_locked(client, scope.province_user.username)
    response = log_in(client, scope.province_user.username, TEST_PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page
    assert f"Hãy thử lại sau {settings.AXES_COOLOFF_TIME.seconds // 60} phút" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_out_is_for_that_user_name_from_that_address_only(client, scope):
    fail_until_locked(client, scope.province_user.username)
    # A colleague in the same office, and the same user from another place, still log in.
    assert log_in(client, scope.ministry_user.username, TEST_PASSWORD).status_code == 302
    assert log_in(client, scope.province_user.username, TEST_PASSWORD, ELSEWHERE).status_code == 302


def test_the_lock_out_ends_after_the_cool_off_time(client, scope):
    fail_until_locked(client, scope.province_user.username)
    earlier = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=earlier)
    assert log_in(client, scope.province_user.username, TEST_PASSWORD).status_code == 302


def test_a_successful_login_forgets_earlier_failures(client, scope):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, scope.province_user.username, "wrong-password")
    assert log_in(client, scope.province_user.username, TEST_PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, scope.province_user.username, "wrong-password").status_code == 200


def test_an_administrator_unlocks_by_deleting_the_attempts(client, admin_client, scope):
    fail_until_locked(client, scope.province_user.username)
    attempt = AccessAttempt.objects.get(username=scope.province_user.username)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert scope.province_user.username in admin_client.get(changelist).content.decode()
    admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}, follow=True
    )
    assert log_in(client, scope.province_user.username, TEST_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678", "Mật khẩu này quá phổ biến"),
        ("ab1", "Mật khẩu quá ngắn"),
        ("83920174619", "Mật khẩu này hoàn toàn là số"),
    ],
)
def test_a_new_password_must_pass_djangos_password_rules(scope, password, message):
    client = logged_in(scope.province_user)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_sessions_expire_after_the_configured_inactivity(scope):
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    client = logged_in(scope.province_user)
    session = client.session
    session.set_expiry(-1)  # as if the last request were long past
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("typed", ["a" * 500, "so\x1b.test"], ids=["500 characters", "ESC"])
def test_any_user_name_typed_is_counted_and_locked_out(client, db, typed):
    """PostgreSQL refuses a name past the column's length or with odd bytes: the count must not fail."""
    fail_until_locked(client, typed)
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    assert len(attempt.username) <= 150
    assert "\x00" not in attempt.username


def test_a_user_name_with_a_nul_byte_is_refused_by_the_form_before_any_password_check(client, db):
    response = log_in(client, "so.test\x00", "wrong-password")
    assert response.status_code == 200
    assert "Không được dùng ký tự rỗng (NUL)" in response.content.decode()
    assert not AccessAttempt.objects.exists()


# Behind the documented proxy (docs/deploy.md): nginx reaches Django from its own address and appends
# the address it was reached from to whatever X-Forwarded-For the client sent
# (`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`).

NGINX = "10.0.0.2"
LOAD_BALANCER = "10.0.0.1"
ATTACKER = "192.0.2.66"


def through_proxies(client, username: str, password: str, *, chain: list[str], sent: str | None = None):
    """A login that passed through the proxies in `chain` (outermost first), each appending its peer.

    `chain[0]` is the client's own address; each later entry is a proxy, which appends the address
    it was reached from. The last proxy reaches Django, so its address is REMOTE_ADDR.
    """
    forwarded = sent
    for peer in chain[:-1]:
        forwarded = f"{forwarded}, {peer}" if forwarded else peer
    headers = {"REMOTE_ADDR": chain[-1]}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def fail_through_proxies_until_locked(client, username: str, *, chain: list[str], sent: str | None = None):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = through_proxies(client, username, "wrong-password", chain=chain, sent=sent)
    assert response.status_code == 429


@override_settings(PROXY_COUNT=1)
def test_behind_one_proxy_an_attacker_cannot_lock_the_real_user_out(client, scope):
    # The attacker sends no X-Forwarded-For: nginx's header then holds one entry, the attacker's address.
    fail_through_proxies_until_locked(client, scope.province_user.username, chain=[ATTACKER, NGINX])
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]
    real_user = through_proxies(client, scope.province_user.username, TEST_PASSWORD, chain=[OFFICE, NGINX])
    assert real_user.status_code == 302


@override_settings(PROXY_COUNT=1)
def test_behind_one_proxy_addresses_the_client_writes_are_not_believed(client, scope):
    # Whatever the attacker writes left of nginx's entry, each attempt counts against the attacker's own address.
    for spoofed in [OFFICE, f"{ELSEWHERE}, {OFFICE}", "unknown", "<script>", ""]:
        through_proxies(client, scope.province_user.username, "wrong-password", chain=[ATTACKER, NGINX], sent=spoofed)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert (
        through_proxies(client, scope.province_user.username, TEST_PASSWORD, chain=[OFFICE, NGINX]).status_code == 302
    )


@override_settings(PROXY_COUNT=2)
def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(client, scope):
    chain = [ATTACKER, LOAD_BALANCER, NGINX]
    fail_through_proxies_until_locked(client, scope.province_user.username, chain=chain, sent=OFFICE)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]
    real_user = through_proxies(
        client, scope.province_user.username, TEST_PASSWORD, chain=[OFFICE, LOAD_BALANCER, NGINX]
    )
    assert real_user.status_code == 302


@override_settings(PROXY_COUNT=1)
def test_a_request_that_bypassed_the_proxy_counts_against_its_own_address(client, scope):
    # No X-Forwarded-For at all: not through nginx, so the connecting address is the client.
    fail_through_proxies_until_locked(client, scope.province_user.username, chain=[ATTACKER])
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]
    assert log_in(client, scope.province_user.username, TEST_PASSWORD, OFFICE).status_code == 302


def test_without_a_proxy_forwarded_addresses_are_ignored(client, scope):
    assert settings.PROXY_COUNT == 0
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": scope.province_user.username, "password": "wrong-password"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=OFFICE,
        )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]
    assert log_in(client, scope.province_user.username, TEST_PASSWORD, OFFICE).status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/set-password/",
        "/accounts/reset/done/",
    ],
)
def test_there_is_no_password_reset_by_email(client, db, path, mailoutbox):
    # Accounts are reset by an administrator (docs/decisions.md); no page sends a reset link.
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "so.thaibinh@example.gov.vn"}).status_code == 404
    assert mailoutbox == []


def test_the_login_page_tells_users_who_resets_a_password(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Quên mật khẩu hoặc cần tài khoản? Liên hệ quản trị hệ thống của cơ quan bạn." in page
    assert "password_reset" not in page
