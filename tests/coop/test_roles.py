"""Who sees what: the scope rules every view applies through `visible_to(user)`."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from coop.roles import MINISTRY_AGENCY_KINDS, role_label, sees_every_programme
from programmes.choices import AgencyKind
from programmes.models import Meeting, Programme
from tasks.models import Output, Task
from tests.factories import MeetingFactory, OutputFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_ministry_kinds_are_agency_kinds():
    assert set(MINISTRY_AGENCY_KINDS) <= set(AgencyKind.values)
    assert set(MINISTRY_AGENCY_KINDS) == {AgencyKind.MINISTRY, AgencyKind.MINISTRY_UNIT}


def test_ministry_staff_and_leadership_see_every_programme(scope):
    for user in (scope.ministry_user, scope.leadership_user):
        assert sees_every_programme(user)
        assert set(Programme.objects.visible_to(user)) == {scope.programme, scope.other_programme}
        assert set(Task.objects.visible_to(user)) == {scope.task, scope.other_task}


def test_a_department_sees_the_programmes_its_peoples_committee_is_party_to(scope):
    user = scope.province_user
    assert not sees_every_programme(user)
    assert list(Programme.objects.visible_to(user)) == [scope.programme]
    assert list(Task.objects.visible_to(user)) == [scope.task]


def test_a_department_sees_a_task_it_leads_in_a_programme_outside_its_province(scope):
    led_elsewhere = TaskFactory(programme=scope.other_programme, lead_agency=scope.department)
    assert set(Task.objects.visible_to(scope.province_user)) == {scope.task, led_elsewhere}
    assert scope.other_programme not in Programme.objects.visible_to(scope.province_user)


def test_outputs_and_meetings_follow_their_task_and_programme(scope):
    inside, outside = OutputFactory(task=scope.task), OutputFactory(task=scope.other_task)
    assert list(Output.objects.visible_to(scope.province_user)) == [inside]
    assert set(Output.objects.visible_to(scope.ministry_user)) == {inside, outside}
    meeting, other_meeting = MeetingFactory(programme=scope.programme), MeetingFactory(programme=scope.other_programme)
    assert list(Meeting.objects.visible_to(scope.province_user)) == [meeting]
    assert set(Meeting.objects.visible_to(scope.leadership_user)) == {meeting, other_meeting}


def test_anonymous_and_agency_less_users_see_nothing(scope):
    assert not Programme.objects.visible_to(AnonymousUser()).exists()
    scope.province_user.agency = None
    assert not Programme.objects.visible_to(scope.province_user).exists()
    assert not Task.objects.visible_to(scope.province_user).exists()


def test_role_label_names_the_role(scope, admin_user):
    assert str(role_label(admin_user)) in ("Administrator", "Quản trị hệ thống")
    assert role_label(scope.ministry_user) != role_label(scope.province_user)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_role_badge_is_written_in_sentence_case(roles, language):
    """The badge in the header of every page: "Chuyên viên Bộ" as "Lãnh đạo", never "chuyên viên Bộ"."""
    users = [roles.ministry_user, roles.province_user, roles.leadership_user, roles.administrator_user]
    users += [UserFactory(agency=roles.unit), UserFactory(agency=roles.department)]  # read only; no role yet
    with translation.override(language):
        badges = [str(role_label(user)) for user in users]
    assert [badge[0] for badge in badges] == [badge[0].upper() for badge in badges], badges
