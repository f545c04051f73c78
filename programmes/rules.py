"""Who may change what in the programmes app: meetings and publishing programmes (ministry staff), and the
follow-up of recommendations.

As in the tasks app, each rule bears the name of the model permission it narrows to one object.
"""

import rules

from coop.roles import own_agency_ids, sees_every_programme
from coop.rules import holds
from programmes.models import Programme


@rules.predicate
def is_meeting_in_scope(user, meeting) -> bool:
    if meeting is None:
        return False
    return sees_every_programme(user) or Programme.objects.visible_to(user).filter(pk=meeting.programme_id).exists()


@rules.predicate
def is_addressed_to_own_agency(user, recommendation) -> bool:
    return recommendation is not None and recommendation.addressed_to_id in own_agency_ids(user)


@rules.predicate
def sees_everything(user) -> bool:
    return sees_every_programme(user)


rules.add_perm("programmes.add_meeting", holds("programmes.add_meeting"))
rules.add_perm("programmes.change_meeting", holds("programmes.change_meeting") & is_meeting_in_scope)
# The agency a recommendation is addressed to reports its follow-up; ministry staff, who
# keep the meetings up to date, may record it for anyone.
rules.add_perm(
    "programmes.follow_up_recommendation",
    holds("programmes.follow_up_recommendation")
    & (is_addressed_to_own_agency | (holds("programmes.change_recommendation") & sees_everything)),
)
# Publishing a programme (showing it on the public pages and in the open data) is a change of the programme that
# Ministry staff decide for every programme; provinces and leadership change no programme.
rules.add_perm("programmes.change_programme", holds("programmes.change_programme") & sees_everything)
