"""API keys: made, named, shown once and revoked on the profile page; kept as a hash; each request with one records
when it was last used; refused when wrong, revoked or of an inactive user; throttled per key."""

import datetime
import hashlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coop.api_tokens import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke
from coop.models import ApiToken
from tests.api.conftest import list_url
from tests.conftest import logged_in
from tests.factories import UserFactory


def with_key(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


def assert_refused(response, status: int = 401):
    assert response.status_code == status
    assert response.json()["error"]["status"] == status
    assert response.json()["error"]["message"]


@pytest.fixture
def key_of(world):
    """A new key of a Thái Bình department's user, and the token it is stored as."""
    token, key = api_token_create(user=world.province_user, name="Cổng dữ liệu tỉnh")
    return token, key


# Authentication


@pytest.mark.django_db
def test_a_key_reads_what_its_user_sees(world, key_of):
    _token, key = key_of
    response = with_key(key).get(list_url("task"))
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {world.task.pk}
    # The scheme's other word, as other frameworks send it.
    token_response = Client(headers={"Authorization": f"Token {key}"}).get(list_url("task"))
    assert token_response.status_code == 200


@pytest.mark.django_db
def test_only_the_key_s_hash_is_stored(world, key_of):
    token, key = key_of
    assert key.startswith(ApiToken.KEY_PREFIX) and len(key) > 40
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert stored["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert all(key not in str(value) for value in stored.values())
    assert key.startswith(stored["prefix"]) and len(stored["prefix"]) < len(key) // 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer coop_not-a-key-of-anyone",
        "Bearer",
        "Bearer two words",
        "Bearer khóa",
    ],
)
def test_a_wrong_key_is_refused(world, authorization):
    response = Client(headers={"Authorization": authorization}).get(list_url("task"))
    assert_refused(response)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.django_db
def test_a_revoked_key_is_refused_at_once(world, key_of):
    token, key = key_of
    assert with_key(key).get(list_url("task")).status_code == 200
    api_token_revoke(token=token)
    assert_refused(with_key(key).get(list_url("task")))


@pytest.mark.django_db
def test_the_key_of_a_user_no_longer_active_is_refused(world, key_of):
    token, key = key_of
    token.user.is_active = False
    token.user.save()
    assert_refused(with_key(key).get(list_url("task")))


@pytest.mark.django_db
def test_the_last_use_is_recorded_once_a_minute(world, key_of):
    token, key = key_of
    assert token.last_used_at is None
    with_key(key).get(list_url("task"))
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None and timezone.now() - first_use < datetime.timedelta(seconds=10)

    with_key(key).get(list_url("task"))
    token.refresh_from_db()
    assert token.last_used_at == first_use  # a client reading page after page writes nothing each time

    an_hour_ago = first_use - datetime.timedelta(hours=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=an_hour_ago)
    with_key(key).get(list_url("task"))
    token.refresh_from_db()
    assert token.last_used_at > first_use


# The profile page


@pytest.mark.django_db
def test_a_key_is_made_on_the_profile_page_shown_once_and_listed_by_its_beginning(world):
    user = UserFactory(agency=world.department)
    client = logged_in(user)
    response = client.post(reverse("api_token_add"), {"name": "Cổng dữ liệu mở"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    html = response.content.decode()
    key = html.split('id="new-api-key" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert hashlib.sha256(key.encode()).hexdigest() == token.key_hash
    assert with_key(key).get(list_url("task")).status_code == 200

    profile = client.get(reverse("profile")).content.decode()
    assert key not in profile
    assert f"{token.prefix}…" in profile
    assert "Cổng dữ liệu mở" in profile


@pytest.mark.django_db
def test_a_key_needs_a_name(world):
    user = UserFactory(agency=world.department)
    response = logged_in(user).post(reverse("api_token_add"), {"name": "   "})
    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_user_holds_a_limited_number_of_keys(world):
    user = UserFactory(agency=world.department)
    for number in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=user, name=f"Hệ thống {number}")
    response = logged_in(user).post(reverse("api_token_add"), {"name": "Một khóa nữa"})
    assert response.status_code == 400
    assert ApiToken.objects.filter(user=user).count() == MAX_ACTIVE_TOKENS


@pytest.mark.django_db
def test_a_key_is_revoked_on_the_profile_page(world, key_of):
    token, key = key_of
    response = logged_in(token.user).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_refused(with_key(key).get(list_url("task")))
    page = logged_in(token.user).get(reverse("profile")).content.decode()
    assert token.name in page  # still listed, with when it was revoked


@pytest.mark.django_db
def test_nobody_revokes_another_user_s_key(world, key_of):
    token, key = key_of
    response = logged_in(world.other_province_user).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert with_key(key).get(list_url("task")).status_code == 200


@pytest.mark.django_db
def test_making_and_revoking_keys_need_the_form_s_csrf_token(world, key_of):
    token, _key = key_of
    client = Client(enforce_csrf_checks=True)
    client.force_login(token.user)
    keys_before = ApiToken.objects.filter(user=token.user).count()
    assert client.post(reverse("api_token_add"), {"name": "Không có mã CSRF"}).status_code == 403
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.filter(user=token.user).count() == keys_before
    token.refresh_from_db()
    assert token.revoked_at is None

    # With the token the profile page's forms carry, both work.
    page = client.get(reverse("profile")).content.decode()
    csrf = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    made = client.post(reverse("api_token_add"), {"name": "Có mã CSRF", "csrfmiddlewaretoken": csrf})
    assert made.status_code == 200
    assert client.post(reverse("api_token_revoke", args=[token.pk]), {"csrfmiddlewaretoken": csrf}).status_code == 302
    assert ApiToken.objects.filter(user=token.user).count() == keys_before + 1


# Throttling


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_token": "3/minute"}}


@pytest.mark.django_db
def test_each_key_is_throttled_on_its_own(world, three_a_minute):
    keys = [api_token_create(user=world.province_user, name=f"Khóa {number}")[1] for number in range(2)]
    client, same_user_other_key = with_key(keys[0]), with_key(keys[1])
    for _request in range(3):
        assert client.get(list_url("task")).status_code == 200
    refused = client.get(list_url("task"))
    assert_refused(refused, 429)
    assert refused.json()["error"]["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another user's key, and another key, count on their own.
    assert world.api["other province"].get(list_url("task")).status_code == 200
    assert same_user_other_key.get(list_url("task")).status_code == 200


@pytest.mark.django_db
def test_production_counts_each_keys_requests_in_the_database_every_server_reads():
    from tests.coop.test_production import production_setting

    shared = production_setting("CACHES['shared']['BACKEND']")
    assert shared == "'django.core.cache.backends.db.DatabaseCache'"


@pytest.mark.django_db
def test_requests_are_counted_in_the_shared_cache_where_every_worker_counts_them(world, three_a_minute, settings):
    # The production cache: a table of the database, read by every process of every server.
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "coop_shared_cache_test"},
    }
    call_command("createcachetable", verbosity=0)
    client = with_key(api_token_create(user=world.province_user, name="Cổng dữ liệu")[1])
    for _request in range(3):
        assert client.get(list_url("task")).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM coop_shared_cache_test")
        assert cursor.fetchone()[0] == 1  # the key's request times, in one row that every process reads
    assert_refused(client.get(list_url("task")), 429)
