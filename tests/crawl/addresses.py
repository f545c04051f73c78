"""Every address of the site a crawl requests: each URL pattern, its parameters filled with rows of the site.

A pattern with parameters needs its row in `ARGUMENTS` (URL name → the rows to fill it with): a new page
fails `test_every_pattern_has_its_addresses` until it is added there. Lists are also read on their second
page, exported, and filtered with values out of range (their filter forms then show errors).
"""

from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django.urls import reverse
from django.utils.http import urlencode

from imports.kinds import KINDS
from programmes.models import Person
from tests.helpers import list_views, url_patterns

# Pages drawn by WeasyPrint (a second or more each): the crawls request them with one row only, and only
# with the parameters they are drawn with. Every row goes through the same view and the same drawing.
DRAWN = {"programme_review_pdf", "document_preview_pdf", "task_sheet_pdf", "task_list_pdf"}


@dataclass(frozen=True)
class Address:
    name: str  # the URL pattern's name
    url: str

    def __str__(self):
        return self.url

    @property
    def is_file(self) -> bool:
        """A download (PDF, Word, a spreadsheet, an export) rather than a page."""
        path, _sep, query = self.url.partition("?")
        return path.endswith((".pdf", ".docx", ".xlsx")) or "_export=" in query


def pk(*rows) -> list[dict]:
    return [{"pk": row.pk} for row in rows]


# URL name → (site) → the keyword arguments of each address of the pattern.
ARGUMENTS: dict[str, Callable] = {
    "programme_detail": lambda site: pk(site.programme, site.other_programme, site.national_programme),
    "programme_review": lambda site: pk(site.programme, site.other_programme),
    "programme_review_pdf": lambda site: pk(site.programme),
    "reporting_schedule": lambda site: pk(site.programme, site.other_programme),
    "agency_detail": lambda site: pk(
        site.department, site.thai_binh_department, site.other_department, site.ministry_unit
    ),
    "report_download": lambda site: pk(*site.saved_copies, *site.documents[:2]),
    # A 404 for these (no list was too long for their PDF): the crawl checks it is never a 500.
    "report_annex": lambda site: pk(*site.saved_copies, *site.documents[:2]),
    "report_request_detail": lambda site: pk(*site.report_requests),
    "report_request_retry": lambda site: pk(*site.report_requests),
    "export_request_detail": lambda site: pk(*site.export_requests),
    "export_request_download": lambda site: pk(*site.export_requests),
    "document_detail": lambda site: pk(*site.documents),
    "document_preview_pdf": lambda site: pk(site.documents[1]),
    "document_draft_docx": lambda site: pk(site.documents[1]),
    "document_issued_pdf": lambda site: pk(*site.documents[:2]),
    "document_submit": lambda site: pk(*site.documents),
    "document_return": lambda site: pk(*site.documents),
    "document_issue": lambda site: pk(*site.documents),
    "document_correct": lambda site: pk(*site.documents),
    "task_sheet_pdf": lambda site: pk(site.task),
    "meeting_detail": lambda site: pk(site.meeting, site.other_meeting),
    "meeting_edit": lambda site: pk(site.meeting, site.other_meeting),
    "attachment_add": lambda site: [{"meeting_pk": row.pk} for row in (site.meeting, site.other_meeting)],
    "attachment_download": lambda site: [{"meeting_pk": row.meeting_id, "pk": row.pk} for row in site.attachments],
    "attachment_delete": lambda site: [{"meeting_pk": row.meeting_id, "pk": row.pk} for row in site.attachments],
    "recommendation_follow_up": lambda site: pk(*site.recommendations),
    "task_detail": lambda site: pk(site.task, site.other_task, site.accepted_task),
    "progress_report_add": lambda site: [{"task_pk": row.pk} for row in (site.task, site.other_task)],
    "task_accept": lambda site: [{"task_pk": row.pk} for row in (site.task, site.other_task, site.accepted_task)],
    "output_add": lambda site: [{"task_pk": row.pk} for row in (site.task, site.other_task)],
    "progress_report_detail": lambda site: pk(*site.reports),
    "progress_report_edit": lambda site: pk(*site.reports),
    "output_detail": lambda site: pk(*site.outputs),
    "output_edit": lambda site: pk(*site.outputs),
    "output_submit": lambda site: pk(*site.outputs),
    "output_evidence": lambda site: pk(*site.outputs[-2:]),
    "import_template": lambda site: [{"kind": kind} for kind in KINDS],
    "import_data": lambda site: [{"kind": kind} for kind in KINDS],
    "import_detail": lambda site: pk(*site.import_batches),
    "import_confirm": lambda site: pk(*site.import_batches),
    "import_recheck": lambda site: pk(*site.import_batches),
    "import_cancel": lambda site: pk(*site.import_batches),
    "notification_open": lambda site: pk(*site.notifications),
    "api_programme_detail": lambda site: pk(site.programme, site.other_programme, site.national_programme),
    "api_agency_detail": lambda site: pk(site.department, site.other_department, site.ministry_unit),
    "api_person_detail": lambda site: pk(*Person.objects.order_by("pk")[:2]),
    "api_task_detail": lambda site: pk(site.task, site.other_task, site.accepted_task),
    "api_output_detail": lambda site: pk(*site.outputs),
    "api_progress_report_detail": lambda site: pk(*site.reports),
    "api_meeting_detail": lambda site: pk(site.meeting, site.other_meeting),
    "api_document_detail": lambda site: pk(*site.documents),
    "api_document_file": lambda site: pk(*site.documents[:2]),
    "api_not_found": lambda site: [{"rest": "no-such-thing/"}],
    "api_token_revoke": lambda site: pk(*site.api_tokens),
    "programme_publish": lambda site: pk(site.programme, site.other_programme),
    "public_programme_detail": lambda site: pk(site.programme, site.other_programme),
    "open_data_download": lambda site: pk(*site.open_data_dumps),
    "table_columns": lambda site: [{"list_name": name} for name in ("task_list", "output_list", "no_such_list")],
    "filter_choices": lambda site: [
        {"list_name": list_name, "filter_name": filter_name}
        for list_name, filter_name in (
            ("task_list", "programme"),
            ("task_list", "lead_agency"),
            ("output_list", "task"),
            ("recommendation_list", "addressed_to"),
            ("task_list", "status"),
            ("no_such_list", "programme"),
        )
    ],
}

# Query strings besides the bare address.
QUERIES: dict[str, list[dict]] = {
    "search": [{"q": "thai binh"}, {"q": "mô hình"}],
    "programme_review_pdf": [{"as_of": "10/06/2020", "language": "vi", "include_tasks": "on"}],
    "reporting": [{"_export": "csv", "table": "province"}, {"_export": "xlsx", "table": "period"}],
    "notification_list": [{"page": "2"}],
    "filter_choices": [{"q": "thai binh"}, {"q": "tb"}],
}


def list_queries(view_class) -> list[dict]:
    """A list's second page, its exports, and its number filters all out of range (the form shows why)."""
    queries = [{"page": "2"}, {"_export": "csv"}, {"_export": "xlsx"}]
    numbers = [
        name
        for name, a_filter in view_class.filterset_class.base_filters.items()
        if isinstance(a_filter, django_filters.NumberFilter)
    ]
    if numbers:
        queries.append(dict.fromkeys(numbers, "-1"))
    return queries


def crawled_patterns() -> list:
    """Every URL pattern but the admin's (tests/test_admin.py reads those): Django's static and media
    files are not served through the URL configuration."""
    return list(url_patterns())


def missing_arguments() -> list[str]:
    return sorted(
        pattern.name for pattern in crawled_patterns() if pattern.pattern.converters and pattern.name not in ARGUMENTS
    )


def addresses(site) -> list[Address]:
    """Every address of the site, in the order of the URL configuration."""
    lists = list_views()
    found = []
    for pattern in crawled_patterns():
        if pattern.pattern.converters and pattern.name not in ARGUMENTS:
            continue  # test_every_pattern_has_its_addresses names it
        argument_sets = ARGUMENTS[pattern.name](site) if pattern.pattern.converters else [{}]
        queries = [{}, *QUERIES.get(pattern.name, [])]
        if pattern.name in lists:
            queries += list_queries(lists[pattern.name])
        if pattern.name in DRAWN:
            queries = queries[-1:]  # the parameters it is drawn with, once
        for kwargs in argument_sets:
            path = reverse(pattern.name, kwargs=kwargs)
            found.extend(Address(pattern.name, f"{path}?{urlencode(query)}" if query else path) for query in queries)
    # A pattern the project overrides (its password change) comes twice, under one name and address.
    return list(dict.fromkeys(found))
