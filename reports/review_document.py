"""The words of a programme review document: its prefilled narrative, signature block, recipients and content.

A draft starts with the results section written from the figures as of its day and the
recommendations section from the meetings' conclusions and the recommendations still open; the
drafting unit rewrites them. `document_content` gathers what the PDF and the Word copy print.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from coop.formatting import format_billions
from programmes.choices import PENDING_RECOMMENDATION_STATUSES, PartyRole
from reports.choices import AUTHORITY_LINE, HEAD_TITLE_BY_AGENCY_KIND, DocumentState, SigningAuthority
from reports.document_content import ContentSection, ContentTable, DocumentContent, SignatureBlock
from reports.models import GeneratedReport
from reports.pdf import DocumentHeader
from reports.queries import ProgrammeReview

# The narrative fields in the order of the document, each under its numbered heading.
SECTION_FIELDS = ("results", "shortcomings", "causes", "directions", "proposals")
ROMAN = ("I", "II", "III", "IV", "V", "VI")
# "Lưu: VT" is always the last recipient: the records office files the original.
RECORDS_OFFICE = "VT"


def section_headings() -> dict[str, str]:
    """The headings of the narrative, in the active language ("Kết quả đạt được", …)."""
    return {
        "results": gettext("Assessment of the results"),
        "shortcomings": gettext("Shortcomings and limitations"),
        "causes": gettext("Causes"),
        "directions": gettext("Directions for the coming period"),
        "proposals": gettext("Recommendations and proposals"),
    }


def prefilled_results(review: ProgrammeReview) -> str:
    """The results section as the figures tell it on the document's day: tasks, funding, verified outputs."""
    figures = review.figures
    as_of = formats.date_format(review.as_of, "SHORT_DATE_FORMAT")
    paragraphs = [
        ngettext(
            "By %(date)s, %(count)s S&T task had been carried out under the programme.",
            "By %(date)s, %(count)s S&T tasks had been carried out under the programme.",
            figures.tasks.value,
        )
        % {"date": as_of, "count": figures.tasks.value}
    ]
    if figures.funding_total:
        paragraphs.append(
            gettext("Funding allocated to them: %(total)s, of which %(ministry)s from the Ministry's budget.")
            % {
                "total": format_billions(figures.funding_total),
                "ministry": format_billions(figures.ministry_funding.value),
            }
        )
    outputs = [f"- {figure.value} {figure.unit} ({figure.label})" for figure in figures.outputs_by_kind if figure.value]
    if outputs:
        paragraphs.append(gettext("Verified outputs:") + "\n" + "\n".join(outputs))
    return "\n\n".join(paragraphs)


def prefilled_proposals(review: ProgrammeReview) -> str:
    """The recommendations section: each meeting's conclusions, then the recommendations still open."""
    paragraphs = []
    for meeting in review.meetings:
        if meeting.conclusions:
            heading = gettext("Conclusions of the %(meeting)s of %(date)s:") % {
                "meeting": meeting.get_kind_display().lower(),
                "date": formats.date_format(meeting.held_on, "SHORT_DATE_FORMAT"),
            }
            paragraphs.append(f"{heading}\n{meeting.conclusions.strip()}")
    still_open = [
        f"- {recommendation.text}"
        for meeting in review.meetings
        for recommendation in meeting.recommendation_list
        if recommendation.status in PENDING_RECOMMENDATION_STATUSES
    ]
    if still_open:
        paragraphs.append(gettext("Recommendations still open:") + "\n" + "\n".join(still_open))
    return "\n\n".join(paragraphs)


def head_title(agency) -> str:
    """The title of the head of the issuing agency, in capitals ("BỘ TRƯỞNG")."""
    title = HEAD_TITLE_BY_AGENCY_KIND.get(agency.kind if agency else "ministry", HEAD_TITLE_BY_AGENCY_KIND["ministry"])
    return str(title).upper()


def signature_block(document: GeneratedReport) -> SignatureBlock | None:
    """The signer's capacity, position and name, as printed above and below the signature."""
    signer = document.signer
    if signer is None or not document.signing_authority:
        return None
    head = head_title(document.issuing_agency)
    authority = AUTHORITY_LINE[SigningAuthority(document.signing_authority)] % {"head": head}
    person = signer.person
    position = person.position if person else ""
    # The head signs in the head's own title: no second line.
    if document.signing_authority == SigningAuthority.HEAD or position.upper() == head:
        position = ""
    return SignatureBlock(
        authority=authority, position=position.upper(), name=person.full_name if person else str(signer)
    )


def recipient_lines(document: GeneratedReport) -> list[str]:
    """The recipients ("Nơi nhận"): the parties chosen, the free lines, and last "Lưu: VT, <drafting unit>."."""
    lines = [f"- {agency.name};" for agency in document.recipient_agencies.all()]
    lines += [f"- {line.rstrip(';.')};" for line in document.other_recipient_lines()]
    filed = ", ".join(part for part in (RECORDS_OFFICE, document.drafting_unit) if part)
    lines.append(gettext("- Filed: %(where)s.") % {"where": filed})
    return lines


def annex_reference(document: GeneratedReport) -> str:
    """The line under the annex's title, "(Kèm theo Báo cáo số 15/BC-BKHCN ngày 10/6/2020)"."""
    if document.state != DocumentState.ISSUED:
        return gettext("(Attached to the report No. %(number)s)") % {"number": document.number_label}
    return gettext("(Attached to the report No. %(number)s of %(date)s)") % {
        "number": document.number_label,
        "date": formats.date_format(document.issued_at, "SHORT_DATE_FORMAT"),
    }


def subject(review: ProgrammeReview) -> str:
    title = review.programme.title
    if review.is_final_review:
        return gettext("Final review of the implementation of the %(title)s") % {"title": title}
    return gettext("Mid-term review of the implementation of the %(title)s") % {"title": title}


def scope_line(document: GeneratedReport, review: ProgrammeReview) -> str:
    """ "(Số liệu tính đến ngày …)", and for a correction the document it replaces."""
    scope = gettext("(Figures as of %(date)s)") % {"date": formats.date_format(review.as_of, "SHORT_DATE_FORMAT")}
    replaced = document.replaces
    if replaced is None or replaced.issued_at is None:
        return scope
    replacing = gettext("(Replaces the report No. %(number)s of %(date)s)") % {
        "number": replaced.number_label,
        "date": formats.date_format(timezone.localtime(replaced.issued_at), "SHORT_DATE_FORMAT"),
    }
    return f"{scope}\n{replacing}"


def narrative_sections(document: GeneratedReport) -> tuple[ContentSection, ...]:
    """The sections with text, numbered I., II., … in order; an empty section is left out of the document."""
    headings = section_headings()
    written = [(name, getattr(document, name).strip()) for name in SECTION_FIELDS if getattr(document, name).strip()]
    return tuple(
        ContentSection(heading=f"{ROMAN[index]}. {headings[name]}", text=text)
        for index, (name, text) in enumerate(written)
    )


def document_content(
    document: GeneratedReport, review: ProgrammeReview, *, header: DocumentHeader, digitally_signed: bool = False
) -> DocumentContent:
    """What the document prints, in the document's language (the caller holds `translation.override`)."""
    return DocumentContent(
        header=header,
        kind_title=gettext("REPORT"),
        subject=subject(review),
        scope=scope_line(document, review),
        sections=narrative_sections(document),
        signature=signature_block(document),
        recipients=tuple(recipient_lines(document)),
        annex_title=gettext("Annex"),
        annex_reference=annex_reference(document),
        is_draft=document.state != DocumentState.ISSUED,
        digitally_signed=digitally_signed,
    )


def default_recipients(review: ProgrammeReview):
    """The agencies a draft is sent to: every party of the programme but the one issuing it."""
    return [party.agency for party in review.parties if party.role != PartyRole.MINISTRY_SIDE]


def annex_tables(review: ProgrammeReview) -> tuple[ContentTable, ...]:
    """The figures of the review as plain tables, for the Word copy's annex: tasks, funding, verified outputs."""
    figures = review.figures
    tables = [
        ContentTable(
            title=gettext("S&T tasks by status"),
            columns=(gettext("Status"), gettext("S&T tasks")),
            rows=tuple((str(figure.label), str(figure.value)) for figure in figures.tasks_by_status),
            numeric_columns=(1,),
        )
    ]
    if figures.funding_by_source:
        tables.append(
            ContentTable(
                title=gettext("Allocated funding by source"),
                columns=(gettext("Funding source"), gettext("Allocated")),
                rows=tuple((str(figure.label), format_billions(figure.value)) for figure in figures.funding_by_source),
                numeric_columns=(1,),
            )
        )
    if figures.outputs_by_kind:
        tables.append(
            ContentTable(
                title=gettext("Verified outputs by kind and unit"),
                columns=(gettext("Kind"), gettext("Unit"), gettext("Verified")),
                rows=tuple(
                    (str(figure.label), str(figure.unit), str(figure.value)) for figure in figures.outputs_by_kind
                ),
                numeric_columns=(2,),
            )
        )
    return tuple(tables)
