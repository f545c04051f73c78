"""Ministry staff publish a programme, or take it back, from its page: a POST with its token, recorded in the history.
Nobody else may."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from programmes import services
from programmes.choices import ProgrammeStatus
from programmes.models import Programme
from tests.conftest import logged_in
from tests.helpers import in_language

pytestmark = pytest.mark.django_db


def publish_url(programme) -> str:
    return reverse("programme_publish", args=[programme.pk])


def is_published(programme) -> bool:
    return Programme.objects.get(pk=programme.pk).published


@pytest.fixture
def active(roles):
    """`roles`, its Thái Bình programme active and not published."""
    roles.programme.status = ProgrammeStatus.ACTIVE
    roles.programme.save()
    return roles


# Who may: role × the Thái Bình programme (in the provincial user's scope) and the Nam Định one (outside it).
# fmt: off
PUBLISHING = {
    #                       Thái Bình  Nam Định
    "ministry_user":        (302,      302),
    "administrator_user":   (302,      302),
    "province_user":        (403,      404),
    "other_province_user":  (404,      403),
    "leadership_user":      (403,      403),
}
# fmt: on


@pytest.mark.parametrize("side", [0, 1], ids=["Thái Bình", "Nam Định"])
@pytest.mark.parametrize("user", list(PUBLISHING))
def test_who_may_publish(active, user, side):
    programme = (active.programme, active.other_programme)[side]
    programme.status = ProgrammeStatus.ACTIVE
    programme.save()
    response = logged_in(getattr(active, user)).post(publish_url(programme), {"published": "1"})
    expected = PUBLISHING[user][side]
    assert response.status_code == expected
    assert is_published(programme) is (expected == 302)


def test_a_visitor_is_sent_to_log_in_and_nothing_changes(active):
    url = publish_url(active.programme)
    response = Client().post(url, {"published": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=" + url)
    assert not is_published(active.programme)


def test_publishing_takes_a_post_with_its_token(active):
    client = logged_in(active.ministry_user)
    assert client.get(publish_url(active.programme)).status_code == 405
    strict = logged_in(active.ministry_user)
    strict.handler.enforce_csrf_checks = True
    assert strict.post(publish_url(active.programme), {"published": "1"}).status_code == 403
    assert not is_published(active.programme)
    page = strict.get(reverse("programme_detail", args=[active.programme.pk])).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = strict.post(publish_url(active.programme), {"published": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("programme_detail", args=[active.programme.pk]) + "#publication"
    assert is_published(active.programme)


def test_publishing_and_taking_back_are_in_the_history_with_who_and_why(active):
    client = logged_in(active.ministry_user)
    client.post(publish_url(active.programme), {"published": "1"})
    client.post(publish_url(active.programme), {"published": "0"})
    records = list(active.programme.history.order_by("-history_id")[:2])
    assert [record.published for record in records] == [False, True]
    assert {record.history_user for record in records} == {active.ministry_user}
    assert [record.history_change_reason for record in records] == [
        in_language("vi", "Withdrawn from the public"),
        in_language("vi", "Published for the public"),
    ]
    history = client.get(reverse("programme_detail", args=[active.programme.pk]), {"tab": "history"})
    assert in_language("vi", "Published for the public") in history.content.decode()


def test_publishing_keeps_an_edit_saved_meanwhile(active):
    opened = Programme.objects.get(pk=active.programme.pk)
    Programme.objects.filter(pk=active.programme.pk).update(title="Tên mới của chương trình")
    services.programme_publish(programme=opened, published=True)
    programme = Programme.objects.get(pk=active.programme.pk)
    assert (programme.title, programme.published) == ("Tên mới của chương trình", True)


def test_saying_again_what_holds_writes_nothing(active):
    services.programme_publish(programme=active.programme, published=True)
    count = active.programme.history.count()
    services.programme_publish(programme=active.programme, published=True)
    assert active.programme.history.count() == count


def test_a_draft_is_not_published(roles):
    assert roles.programme.status == ProgrammeStatus.DRAFT
    with pytest.raises(ValidationError):
        services.programme_publish(programme=roles.programme, published=True)
    response = logged_in(roles.ministry_user).post(publish_url(roles.programme), {"published": "1"}, follow=True)
    assert in_language("vi", "A draft programme cannot be published. Set its status to active or completed first.") in (
        response.content.decode()
    )
    assert not is_published(roles.programme)


def test_the_programme_page_offers_the_button_to_ministry_staff_only(active):
    url = reverse("programme_detail", args=[active.programme.pk])
    assert 'id="publish-button"' in logged_in(active.ministry_user).get(url).content.decode()
    for user in (active.province_user, active.leadership_user):
        html = logged_in(user).get(url).content.decode()
        assert 'id="publish-button"' not in html
        assert in_language("vi", "Not published") in html


def test_a_published_programme_links_its_public_page(active):
    services.programme_publish(programme=active.programme, published=True)
    html = logged_in(active.province_user).get(reverse("programme_detail", args=[active.programme.pk])).content
    assert reverse("public_programme_detail", args=[active.programme.pk]) in html.decode()
