"""Who may act on a review document, by its state (Decree 30/2020/NĐ-CP: the drafting unit drafts,
the competent person signs).

Ministry staff (`reports.draft_document`) edit a draft and submit it for signature; the signer
chosen on the document, or an administrator, issues it (`reports.issue_document`). A document
waiting for signature goes back to draft by its signer or the drafting staff, with a note. The
views' querysets (`visible_to`) already keep drafts from anyone outside the Ministry.
"""

import rules

from coop.roles import Role, user_roles
from coop.rules import holds
from reports.choices import DocumentState


@rules.predicate
def is_draft(user, document) -> bool:
    return document is not None and document.state == DocumentState.DRAFT


@rules.predicate
def is_waiting_for_signature(user, document) -> bool:
    return document is not None and document.state == DocumentState.SUBMITTED


@rules.predicate
def is_signer_or_administrator(user, document) -> bool:
    if document is None:
        return False
    return document.signer_id == user.pk or user.is_superuser or Role.ADMINISTRATOR in user_roles(user)


@rules.predicate
def is_issued(user, document) -> bool:
    return document is not None and document.state == DocumentState.ISSUED


rules.add_perm("reports.draft_document", holds("reports.draft_document") & is_draft)
# A correction is a new draft naming the issued document it replaces: drafting staff write it.
rules.add_perm("reports.correct_document", holds("reports.correct_document") & is_issued)
rules.add_perm(
    "reports.issue_document",
    holds("reports.issue_document") & is_waiting_for_signature & is_signer_or_administrator,
)
rules.add_perm(
    "reports.return_document",
    holds("reports.return_document")
    & is_waiting_for_signature
    & (holds("reports.draft_document") | is_signer_or_administrator),
)
