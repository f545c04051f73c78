"""The rows of each endpoint: what the user may see (`visible_to(user)`, as the pages), with every related row its
serializer reads joined or prefetched, so that a page of 1,000 rows costs as many queries as a page of one.

Prefetched lists keep the order their pages show them in.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Value

from coop.roles import sees_every_programme
from programmes.choices import AttendanceRole, PartyRole
from programmes.models import Agency, Attendance, Meeting, Person, Programme, ProgrammeParty, Recommendation, Target
from programmes.queries import choice_order
from reports.choices import DocumentState, ReportKind
from reports.models import GeneratedReport
from tasks.models import Funding, Output, ProgressDisbursement, ProgressReport, Task
from tasks.queries import with_places


def programme_rows(user) -> models.QuerySet:
    """The programmes `user` sees, with their parties (in the order of their roles) and targets, and whether the user
    may see each one's previous phase (`previous_phase_visible`), which its page names only then."""
    parties = ProgrammeParty.objects.select_related("agency", "representative").order_by(
        choice_order("role", PartyRole), "pk"
    )
    if sees_every_programme(user):
        previous_visible = Value(True)
    else:
        previous_visible = Exists(Programme.objects.visible_to(user).filter(pk=OuterRef("previous_phase_id")))
    return (
        Programme.objects.visible_to(user)
        .defer("search_text")
        .select_related("previous_phase")
        .annotate(previous_phase_visible=previous_visible)
        .prefetch_related(
            Prefetch("programme_parties", queryset=parties),
            Prefetch("targets", queryset=Target.objects.order_by("metric", "pk")),
        )
    )


def agency_rows(user) -> models.QuerySet:
    """The directory of agencies, which everyone who has logged in reads, with their province, parent and successor."""
    return Agency.objects.visible_to(user).defer("search_text").select_related("province", "parent", "successor")


def person_rows(user) -> models.QuerySet:
    """The people the records name, with their agency: a directory every user who has logged in reads, as the site's
    search and the agencies' pages show it (Person has no `visible_to`)."""
    people = Person.objects.all() if user.is_authenticated else Person.objects.none()
    return people.defer("search_text").select_related("agency")


def task_rows(user) -> models.QuerySet:
    """The tasks `user` sees, with their programme, lead agency and its province, investigator, funding programme,
    places of implementation and funding rows (oldest year first)."""
    fundings = Funding.objects.order_by("year", "source", "pk")
    return with_places(
        Task.objects.visible_to(user)
        .defer("search_text")
        .select_related("programme", "lead_agency__province", "investigator", "funded_through")
        .prefetch_related(Prefetch("fundings", queryset=fundings))
    )


def output_rows(user) -> models.QuerySet:
    return Output.objects.visible_to(user).defer("search_text").select_related("task__programme")


def progress_report_rows(user) -> models.QuerySet:
    """The progress reports `user` sees, as the list of reports shows them (`ProgressReport.objects.visible_to`):
    the reports on the tasks the user sees, in every status (only approved ones count in figures), with the
    figure each gives on each funding row."""
    disbursements = ProgressDisbursement.objects.select_related("funding").order_by(
        "funding__year", "funding__source", "pk"
    )
    return (
        ProgressReport.objects.visible_to(user)
        .select_related("task", "period")
        .prefetch_related(Prefetch("disbursements", queryset=disbursements))
    )


def meeting_rows(user) -> models.QuerySet:
    """The meetings `user` sees, with who attended (in protocol order, as the meeting's page) and the
    recommendations raised (in the order they were raised)."""
    attendances = Attendance.objects.select_related("person").order_by(
        choice_order("role", AttendanceRole), "person__full_name", "pk"
    )
    recommendations = Recommendation.objects.select_related("raised_by", "addressed_to").order_by("pk")
    return (
        Meeting.objects.visible_to(user)
        .defer("search_text")
        .select_related("programme")
        .prefetch_related(
            Prefetch("attendances", queryset=attendances),
            Prefetch("recommendations", queryset=recommendations),
        )
    )


def issued_documents() -> models.QuerySet:
    """Review documents once issued: numbered, signed and frozen. Drafts are the Ministry's work in progress and
    saved copies are not documents; neither is published through the API."""
    return GeneratedReport.objects.filter(kind=ReportKind.PROGRAMME_REVIEW, state=DocumentState.ISSUED)


def document_rows(user) -> models.QuerySet:
    """The issued review documents `user` sees in the archive (`GeneratedReport.objects.visible_to`), with their
    programme, issuing agency, signer and the document they correct."""
    return (
        issued_documents()
        .visible_to(user)
        .select_related("programme", "issuing_agency", "signer__person", "replaces")
        .defer("results", "shortcomings", "causes", "directions", "proposals", "other_recipients", "parameters")
    )
