"""Writes of the reports app: issuing a PDF report and filing it in the archive.

Issuing a report reads what it shows (`reports.queries`), draws it in the language asked for
(`reports.pdf`), then files it with `generated_report_create`: the stored file, with the SHA-256
and the page count read back from the stored bytes, in one transaction. The drawing happens
before the transaction opens, so that a long rendering holds no database lock.
"""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from coop.concurrency import ensure_unchanged
from programmes.models import Agency, Programme
from reports import queries
from reports.annex import ANNEX_PARAMETER, annex_filename, review_annex_xlsx
from reports.charts import review_charts
from reports.choices import DocumentState, ReportKind, ReportStage, SigningAuthority
from reports.models import DocumentRegister, GeneratedReport
from reports.pdf import (
    REPORT_SYMBOL,
    SIGNATURE_ANCHOR,
    DocumentHeader,
    SignatureBox,
    agency_document_header,
    ascii_filename,
    document_header,
    ignore_stage,
    page_count,
    render_pdf,
    render_pdf_with_anchor,
)
from reports.review_document import (
    SECTION_FIELDS,
    annex_tables,
    default_recipients,
    document_content,
    prefilled_proposals,
    prefilled_results,
    signature_block,
)
from reports.signing import sign_pdf, signing_configured
from tasks.models import Task

# The kind of document in its symbol: "BC" for a report ("báo cáo"), as in "15/BC-BKHCN".
REPORT_KIND_CODE = "BC"
# Issued documents are kept as PDF/A-2b, the archival PDF the records office files.
PDF_VARIANT = "pdf/a-2b"


def generated_report_create(
    *,
    kind: str,
    programme: Programme | None,
    parameters: dict,
    created_by,
    task: Task | None = None,
    created_at: datetime.datetime,
    pdf: bytes,
    filename: str,
    annex: bytes | None = None,
) -> GeneratedReport:
    """File an issued PDF in the archive: the file, then its row with the checksum and page count of the stored copy.

    The checksum and the page count are read back from what the storage holds, so that the
    archive describes the very file it will serve. Should the row fail, its file is removed.
    `annex`, the spreadsheet of the lists too long for the PDF (`reports.annex`), is filed beside it.
    """
    report = GeneratedReport(
        kind=kind,
        state=DocumentState.SAVED,
        programme=programme,
        task=task,
        as_of=datetime.date.fromisoformat(parameters["as_of"]) if "as_of" in parameters else None,
        language=parameters.get("language", settings.LANGUAGE_CODE),
        parameters=parameters,
        created_by=created_by,
        created_at=created_at,
    )
    report.pdf.save(ascii_filename(filename), ContentFile(pdf), save=False)
    annex_name = None
    try:
        if annex is not None:
            annex_name = file_annex(report, annex)
        with transaction.atomic():
            with report.pdf.open("rb") as stored_file:
                stored = stored_file.read()
            report.sha256 = hashlib.sha256(stored).hexdigest()
            report.page_count = page_count(stored)
            report.full_clean()
            report.save()
    except Exception:
        report.pdf.delete(save=False)
        if annex_name:
            default_storage.delete(annex_name)
        raise
    return report


def file_annex(report: GeneratedReport, annex: bytes) -> str:
    """Store `annex` beside the report's stored PDF and note its name in the report's parameters (not saved);
    its stored name.

    In the parameters rather than in a field of its own: most reports have none, and the archive serves it
    by the report (`/reports/<id>/annex.xlsx`), to whoever may download the PDF.
    """
    folder = PurePosixPath(report.pdf.name).parent
    name = default_storage.save(str(folder / annex_filename(PurePosixPath(report.pdf.name).name)), ContentFile(annex))
    report.parameters = {**report.parameters, ANNEX_PARAMETER: name}
    return name


def default_issuer() -> str:
    """The issuer when a programme names no Ministry-side party: the Ministry, in the active language."""
    return gettext("Ministry of Science and Technology")


def review_parameters(*, as_of: datetime.date, language: str, include_tasks: bool) -> dict:
    """The options of a programme review report, as the archive and a background request record them."""
    return {"as_of": as_of.isoformat(), "language": language, "include_tasks": include_tasks}


def programme_review_issue(
    *,
    programme: Programme,
    user,
    as_of: datetime.date,
    language: str,
    include_tasks: bool,
    on_stage: Callable[[str], None] = ignore_stage,
) -> GeneratedReport:
    """Draw the programme review report as it stood at the end of `as_of`, and file it.

    `on_stage` is told each step as it starts (reports.choices.ReportStage).
    """
    on_stage(ReportStage.READING)
    review = queries.programme_review(programme=programme, user=user, as_of=as_of, include_tasks=include_tasks)
    issued_at = timezone.now()
    filename = ascii_filename(f"programme-review-{programme.code}-{as_of:%Y%m%d}.pdf")
    pdf = programme_review_pdf(
        review=review,
        user=user,
        language=language,
        issued_at=issued_at,
        on_stage=on_stage,
        annex_name=annex_filename(filename) if review.has_annex else "",
    )
    on_stage(ReportStage.FILING)
    annex = None
    if review.has_annex:
        with translation.override(language):
            annex = review_annex_xlsx(review, user=user)
    return generated_report_create(
        kind=ReportKind.PROGRAMME_REVIEW,
        programme=programme,
        parameters=review_parameters(as_of=as_of, language=language, include_tasks=include_tasks),
        created_by=user,
        created_at=issued_at,
        pdf=pdf,
        filename=filename,
        annex=annex,
    )


def programme_review_pdf(
    *,
    review: queries.ProgrammeReview,
    user,
    language: str,
    issued_at: datetime.datetime,
    on_stage: Callable[[str], None] = ignore_stage,
    annex_name: str = "",
) -> bytes:
    """The review report's PDF, drawn and not filed (`programme_review_issue` files it; the audit of
    figures, `manage.py check_figures`, reads it back).

    `annex_name` is the name of the annex spreadsheet filed with it, when a list is too long for the PDF.
    """
    with translation.override(language):
        document = document_header(
            review.issuing_party,
            default_issuer=default_issuer(),
            issued_on=timezone.localdate(issued_at),
            number=REPORT_SYMBOL,
        )
        context = {
            "review": review,
            "charts": review_charts(review.figures),
            "document": document,
            "issued_at": issued_at,
            "issued_by": user,
            "annex_filename": annex_name,
        }
        return render_pdf("reports/pdf/programme_review.html", context, on_stage=on_stage)


def programme_review_sheet(
    *, programme: Programme, user, as_of: datetime.date, language: str, include_tasks: bool
) -> bytes:
    """The review data sheet of a programme as of `as_of`, drawn for the asking user and kept nowhere."""
    review = queries.programme_review(programme=programme, user=user, as_of=as_of, include_tasks=include_tasks)
    return programme_review_pdf(review=review, user=user, language=language, issued_at=timezone.now())


def task_sheet_pdf(*, task: Task, user, language: str, issued_at: datetime.datetime | None = None) -> bytes:
    """The one-page sheet of a task as it stands now, drawn and kept nowhere."""
    sheet = queries.task_sheet(task=task, user=user)
    issued_at = issued_at or timezone.now()
    with translation.override(language):
        document = document_header(
            sheet.issuing_party, default_issuer=default_issuer(), issued_on=timezone.localdate(issued_at)
        )
        context = {"sheet": sheet, "task": task, "document": document, "issued_at": issued_at, "issued_by": user}
        return render_pdf("reports/pdf/task_sheet.html", context)


def task_sheet_save(*, task: Task, user, language: str) -> GeneratedReport:
    """Draw the sheet of a task and save a copy of it in the archive, under the task and its programme."""
    issued_at = timezone.now()
    pdf = task_sheet_pdf(task=task, user=user, language=language, issued_at=issued_at)
    return generated_report_create(
        kind=ReportKind.TASK_SHEET,
        programme=task.programme,
        task=task,
        parameters={"task": task.pk, "task_code": task.code, "language": language},
        created_by=user,
        created_at=issued_at,
        pdf=pdf,
        filename=f"task-sheet-{task.programme.code}-{task.code}.pdf",
    )


def task_list_pdf(
    *,
    rows: QuerySet,
    totals: dict,
    filters: list[tuple[str, str]],
    user,
    language: str,
    issued_at: datetime.datetime | None = None,
    on_stage: Callable[[str], None] = ignore_stage,
) -> bytes:
    """A filtered list of tasks with its totals, drawn and kept nowhere.

    `rows` are the tasks in the order of the list, annotated by `tasks.queries.task_rows`;
    `filters` say in words what narrowed them. `on_stage` is told each step as it starts.
    """
    issued_at = issued_at or timezone.now()
    with translation.override(language):
        document = document_header(None, default_issuer=default_issuer(), issued_on=timezone.localdate(issued_at))
        context = {
            "tasks": rows,
            "totals": totals,
            "filters": filters,
            "document": document,
            "issued_at": issued_at,
            "issued_by": user,
        }
        return render_pdf("reports/pdf/task_list.html", context, on_stage=on_stage)


def task_list_issue(
    *,
    rows: QuerySet,
    totals: dict,
    filters: list[tuple[str, str]],
    parameters: dict,
    programme: Programme | None,
    user,
    language: str,
    on_stage: Callable[[str], None] = ignore_stage,
) -> GeneratedReport:
    """Draw a filtered list of tasks with its totals, and save a copy in the archive.

    `programme` is set when the list is of one programme; `parameters` record its filters.
    """
    issued_at = timezone.now()
    pdf = task_list_pdf(
        rows=rows, totals=totals, filters=filters, user=user, language=language, issued_at=issued_at, on_stage=on_stage
    )
    on_stage(ReportStage.FILING)
    return generated_report_create(
        kind=ReportKind.TASK_LIST,
        programme=programme,
        parameters={**parameters, "language": language},
        created_by=user,
        created_at=issued_at,
        pdf=pdf,
        filename=f"task-list-{timezone.localtime(issued_at):%Y%m%d-%H%M}.pdf",
    )


# Review documents: drafted by Ministry staff, submitted for signature, issued by the signer.

# What the drafting unit writes on a draft, besides its recipients and signer (a correction copies them).
DRAFT_TEXT_FIELDS = (*SECTION_FIELDS, "other_recipients", "drafting_unit")


def review_document_create(
    *, programme: Programme, user, as_of: datetime.date, language: str, include_tasks: bool
) -> GeneratedReport:
    """A draft review document of `programme` as of `as_of`, its narrative prefilled from the records.

    The results section is written from the figures as of that day, the recommendations section from
    the meetings' conclusions and the recommendations still open; the recipients are the programme's
    other parties, and the drafting unit is the author's.
    """
    review = queries.programme_review(programme=programme, user=user, as_of=as_of, include_tasks=False)
    issuing_agency = issuing_agency_of(review, user)
    with translation.override(language):
        results = prefilled_results(review)
        proposals = prefilled_proposals(review)
    with transaction.atomic():
        document = GeneratedReport(
            kind=ReportKind.PROGRAMME_REVIEW,
            state=DocumentState.DRAFT,
            programme=programme,
            as_of=as_of,
            language=language,
            parameters=review_parameters(as_of=as_of, language=language, include_tasks=include_tasks),
            results=results,
            proposals=proposals,
            drafting_unit=drafting_unit_of(user),
            signing_authority=SigningAuthority.DEPUTY,
            issuing_agency=issuing_agency,
            symbol=document_symbol(issuing_agency),
            created_by=user,
        )
        document.full_clean()
        document.save()
        document.recipient_agencies.set(default_recipients(review))
    return document


def issuing_agency_of(review: queries.ProgrammeReview, user) -> Agency | None:
    """The agency a review is issued by: the programme's Ministry-side party, else the top of the author's agency."""
    if review.issuing_party is not None:
        return review.issuing_party.agency
    agency = user.agency
    while agency is not None and agency.parent_id:
        agency = agency.parent
    return agency


def drafting_unit_of(user) -> str:
    """The abbreviation the drafting unit writes after "Lưu: VT,": its document code, else its short name."""
    agency = user.agency
    if agency is None:
        return ""
    return (agency.document_code or agency.short_name or agency.name)[:40]


def document_symbol(agency: Agency | None, kind_code: str = REPORT_KIND_CODE) -> str:
    """The symbol, as "BC-BKHCN": the kind of document, then the issuing agency's code (Decree 30, App. III)."""
    if agency is None or not agency.document_code:
        return ""
    return f"{kind_code}-{agency.document_code}"


def review_document_correct(*, document: GeneratedReport, user) -> GeneratedReport:
    """A new draft that corrects an issued document: its options, text, recipients and signer, naming the one it
    replaces. The issued document itself never changes."""
    ensure_state(document, DocumentState.ISSUED, gettext("Only an issued document is corrected by a new one."))
    with transaction.atomic():
        correction = GeneratedReport(
            kind=document.kind,
            state=DocumentState.DRAFT,
            programme=document.programme,
            as_of=document.as_of,
            language=document.language,
            parameters=document.parameters,
            **{name: getattr(document, name) for name in DRAFT_TEXT_FIELDS},
            signer=document.signer,
            signing_authority=document.signing_authority,
            issuing_agency=document.issuing_agency,
            symbol=document.symbol,
            replaces=document,
            created_by=user,
        )
        correction.full_clean()
        correction._change_reason = gettext("Drafted to replace No. %(number)s") % {"number": document.number_label}
        correction.save()
        correction.recipient_agencies.set(document.recipient_agencies.all())
    return correction


def review_document_header(document: GeneratedReport) -> DocumentHeader:
    """The header of a review document: its issuing agency, its number (room for it until issued), its day."""
    moment = document.issued_at or timezone.now()
    return agency_document_header(
        document.issuing_agency,
        default_issuer=default_issuer(),
        issued_on=timezone.localdate(moment),
        number=document.number_label or REPORT_SYMBOL,
    )


def review_document_update(
    *, document: GeneratedReport, user, data: dict, opened_version: int | None
) -> GeneratedReport:
    """Save the narrative, recipients and signer of a draft; refused once it left the drafting unit."""
    with transaction.atomic():
        current = ensure_unchanged(document, opened_version=opened_version)
        ensure_state(current, DocumentState.DRAFT, gettext("Only a draft can be changed: return it to draft first."))
        for name in (*DRAFT_TEXT_FIELDS, "signer", "signing_authority"):
            if name in data:
                setattr(current, name, data[name])
        current.full_clean()
        current._change_reason = gettext("Draft edited")
        current.save()
        if "recipient_agencies" in data:
            current.recipient_agencies.set(data["recipient_agencies"])
    return current


def ensure_state(document: GeneratedReport, state: str, message: str) -> None:
    if document.state != state:
        raise ValidationError(message)


def review_document_submit(*, document: GeneratedReport, user) -> GeneratedReport:
    """Send a draft to its signer. It needs a signer linked to a person, a capacity, a results section and a symbol."""
    with transaction.atomic():
        current = ensure_unchanged(document, opened_version=None)
        ensure_state(current, DocumentState.DRAFT, gettext("Only a draft can be submitted for signature."))
        errors = submission_errors(current)
        if errors:
            raise ValidationError(errors)
        current.state = DocumentState.SUBMITTED
        current.submitted_by = user
        current.submitted_at = timezone.now()
        current.return_note = ""
        current.full_clean()
        current._change_reason = gettext("Submitted for signature")
        current.save()
    return current


def submission_errors(document: GeneratedReport) -> dict[str, list[str]]:
    """What a draft lacks before it can go to its signer, by field."""
    errors: dict[str, list[str]] = {}
    if document.signer_id is None:
        errors["signer"] = [gettext("Choose who signs the document.")]
    elif document.signer.person_id is None:
        errors["signer"] = [gettext("The signer is not linked to a person with a position: ask the administrator.")]
    if not document.signing_authority:
        errors["signing_authority"] = [gettext("Choose in what capacity the signer signs.")]
    if not document.results.strip():
        errors["results"] = [gettext("Write the assessment of the results.")]
    if not document.symbol:
        errors["__all__"] = [
            gettext("The issuing agency has no document code (as “BKHCN”): ask the administrator to record it.")
        ]
    return errors


def review_document_return(*, document: GeneratedReport, user, note: str) -> GeneratedReport:
    """Send a document waiting for signature back to draft, with the reason (kept in its history)."""
    if not note.strip():
        raise ValidationError({"note": [gettext("Say what needs changing before the document is signed.")]})
    with transaction.atomic():
        current = ensure_unchanged(document, opened_version=None)
        ensure_state(
            current, DocumentState.SUBMITTED, gettext("Only a document waiting for signature can be returned.")
        )
        current.state = DocumentState.DRAFT
        current.return_note = note.strip()
        current.full_clean()
        current._change_reason = gettext("Returned to draft: %(note)s") % {"note": note.strip()}
        current.save()
    return current


def review_document_review(*, document: GeneratedReport, user) -> queries.ProgrammeReview:
    """What a review document's annex shows: the programme's review as of the document's date."""
    return queries.programme_review(
        programme=document.programme,
        user=user,
        as_of=document.as_of,
        include_tasks=bool(document.parameters.get("include_tasks")),
    )


def review_document_pdf(
    *,
    document: GeneratedReport,
    user,
    on_stage: Callable[[str], None] = ignore_stage,
    review: queries.ProgrammeReview | None = None,
    annex_name: str = "",
) -> tuple[bytes, SignatureBox | None]:
    """The document drawn as it stands: marked "DỰ THẢO" on every page until issued; PDF/A-2b once issued.

    Returns the PDF and where the signature block's box landed (for the digital signature). `review` is
    read if not given; `annex_name` names the annex spreadsheet filed with an issued document.
    """
    on_stage(ReportStage.READING)
    if review is None:
        review = review_document_review(document=document, user=user)
    issued = document.state == DocumentState.ISSUED
    moment = document.issued_at or timezone.now()
    with translation.override(document.language):
        header = review_document_header(document)
        content = document_content(document, review, header=header, digitally_signed=issued and signing_configured())
        context = {
            "review": review,
            # A document states its figures in tables; the charts stay on the data sheet (they would also
            # be a third of the drawing time: docs/benchmarks.md).
            "charts": {},
            "document": header,
            "content": content,
            "issued_at": moment,
            "issued_by": user,
            "annex_filename": annex_name,
        }
        return render_pdf_with_anchor(
            "reports/pdf/programme_review.html",
            context,
            anchor=SIGNATURE_ANCHOR,
            pdf_variant=PDF_VARIANT if issued else None,
            on_stage=on_stage,
        )


def review_document_docx(*, document: GeneratedReport, user) -> bytes:
    """The document as a Word file, in the same format and with the same words as its PDF (`reports.docx`)."""
    # Imported here, when a Word file is asked for: python-docx (with lxml) would otherwise be imported by
    # the URLconf, through the views, and slow every process's start.
    from reports.docx import document_docx

    review = queries.programme_review(
        programme=document.programme, user=user, as_of=document.as_of, include_tasks=False
    )
    with translation.override(document.language):
        header = review_document_header(document)
        content = document_content(document, review, header=header)
        return document_docx(replace(content, annex_tables=annex_tables(review)))


def review_document_issue(
    *,
    document: GeneratedReport,
    user,
    issued_at: datetime.datetime | None = None,
    on_stage: Callable[[str], None] = ignore_stage,
) -> GeneratedReport:
    """Sign, number, date and freeze a document waiting for signature.

    The register's row stays locked from taking the number until the frozen document is saved, so that
    two documents issued at once get consecutive numbers and a failure (drawing, signing, storing) gives
    back the number: numbers never repeat and never skip. The PDF is drawn once, as PDF/A-2b, signed
    with the issuing agency's certificate when one is configured (`reports.signing`), and stored with
    its SHA-256 and page count read back from the stored bytes.
    """
    stored_name = annex_stored = None
    try:
        with transaction.atomic():
            current = ensure_unchanged(document, opened_version=None)
            ensure_state(
                current, DocumentState.SUBMITTED, gettext("Only a document waiting for signature can be issued.")
            )
            issued_at = issued_at or timezone.now()
            year = timezone.localtime(issued_at).year
            register = locked_register(agency=current.issuing_agency, year=year, symbol=current.symbol)
            register.last_number += 1
            current.number = register.last_number
            current.register_year = year
            current.issued_at = issued_at
            current.issued_by = user
            current.state = DocumentState.ISSUED
            review = review_document_review(document=current, user=user)
            filename = ascii_filename(current.download_name())
            annex_name = annex_filename(filename) if review.has_annex else ""
            pdf, box = review_document_pdf(
                document=current, user=user, on_stage=on_stage, review=review, annex_name=annex_name
            )
            current.digitally_signed = signing_configured() and box is not None
            if current.digitally_signed:
                pdf = sign_issued_pdf(current, pdf, box)
            on_stage(ReportStage.FILING)
            current.pdf.save(filename, ContentFile(pdf), save=False)
            stored_name = current.pdf.name
            if review.has_annex:
                with translation.override(current.language):
                    annex_stored = file_annex(current, review_annex_xlsx(review, user=user))
            with current.pdf.open("rb") as stored_file:
                stored = stored_file.read()
            current.sha256 = hashlib.sha256(stored).hexdigest()
            current.page_count = page_count(stored)
            current.full_clean()
            current._change_reason = gettext("Issued as No. %(number)s") % {"number": current.number_label}
            current.save()
            register.save(update_fields=["last_number"])
    except Exception:
        if stored_name:
            default_storage.delete(stored_name)
        if annex_stored:
            default_storage.delete(annex_stored)
        raise
    return current


def locked_register(*, agency: Agency, year: int, symbol: str) -> DocumentRegister:
    """The agency's register of the year for `symbol`, created if new, locked until the transaction ends."""
    DocumentRegister.objects.bulk_create(
        [DocumentRegister(agency=agency, year=year, symbol=symbol)], ignore_conflicts=True
    )
    return DocumentRegister.objects.select_for_update().get(agency=agency, year=year, symbol=symbol)


def sign_issued_pdf(document: GeneratedReport, pdf: bytes, box: SignatureBox) -> bytes:
    """The issued PDF with the issuing agency's digital signature, shown at the signature block."""
    block = signature_block(document)
    with translation.override(document.language):
        return sign_pdf(
            pdf,
            box=box,
            signer_name=block.name if block else str(document.signer),
            position=" – ".join(part for part in (block.authority, block.position) if part) if block else "",
            agency=document.issuing_agency.name,
            signed_at=timezone.now(),
            reason=gettext("Issued as No. %(number)s") % {"number": document.number_label},
            location=gettext("Hanoi"),
        )
