"""Reads of the public pages: the published programmes (`programmes.queries.public_programmes`) and only what belongs
to them, as anyone may read it without logging in.

What the public reads is chosen here, on the querysets: the programme's facts and parties, its tasks and their
funding, and its verified outputs; never progress reports, outputs not verified, who entered or reviewed what,
evidence files, or anything of a programme that is not published. The figures are those of `reports.figures`,
restricted to verified outputs.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from programmes.models import Agency, Person, Programme, ProgrammeParty, Target
from programmes.queries import programme_list_rows, programme_parties, public_programmes
from reports.figures import (
    HeadlineFigures,
    ProgrammeFigures,
    published_programme_figures,
    published_programme_headlines,
)
from tasks.models import Funding, Output, Task, TaskPlace

# Programmes on a page of /public/; tasks and outputs on a page of a programme.
PROGRAMMES_PER_PAGE = 20
ROWS_PER_PAGE = 50
# The tables the public pages read: a change to any of them files the pages afresh (`coop.figure_cache`).
PUBLIC_TABLES = (Programme, ProgrammeParty, Target, Agency, Person, Task, Funding, TaskPlace, Output)


def page_number(value: str | None) -> int:
    """A page asked for in the query string, as a number from 1: anything else is the first page. Bounded, so that
    the kept pages (one per number asked for) stay few."""
    return int(value) if value and value.isdigit() and 0 < int(value) <= 100_000 else 1


@dataclass
class PublicProgrammeRow:
    programme: Programme
    figures: HeadlineFigures


def public_programme_page(*, number: int) -> tuple[Page, list[PublicProgrammeRow]]:
    """A page of the published programmes, newest first, each with its headline figures; five queries."""
    rows = programme_list_rows().filter(pk__in=public_programmes().values("pk"))
    page = Paginator(rows, PROGRAMMES_PER_PAGE).get_page(number)
    programmes = list(page.object_list)
    headlines = published_programme_headlines(programmes)
    return page, [PublicProgrammeRow(programme, headlines[programme.pk]) for programme in programmes]


@dataclass
class PublicProgramme:
    """What the public page of a programme shows."""

    programme: Programme
    parties: list[ProgrammeParty]
    figures: ProgrammeFigures
    tasks: Page
    outputs: Page


def public_programme(*, programme: Programme, tasks_page: int, outputs_page: int) -> PublicProgramme:
    """A published programme's parties, figures (verified outputs only), a page of its tasks and a page of its
    verified outputs; a dozen queries, whatever its size."""
    tasks = Task.objects.filter(programme=programme).select_related("lead_agency").order_by("code", "pk")
    outputs = (
        Output.objects.counted()
        .filter(task__programme=programme)
        .select_related("task")
        .order_by("task__code", "kind", "name", "pk")
    )
    return PublicProgramme(
        programme=programme,
        parties=list(programme_parties(programme=programme)),
        figures=published_programme_figures(programme=programme),
        tasks=Paginator(tasks, ROWS_PER_PAGE).get_page(tasks_page),
        outputs=Paginator(outputs, ROWS_PER_PAGE).get_page(outputs_page),
    )
