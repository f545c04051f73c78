"""The progress-report workflow and the outputs of tasks, through the pages, as each role uses them.

Read top to bottom as the life of a report: a provincial department types it the way
Vietnamese documents write dates and money, submits it, the Ministry finds it in its
queue, returns it with a note or approves it (the task then follows the report), and
the department corrects and resubmits. Then who may not do any of it (outside scope,
leadership, anonymous, the submitter reviewing their own) and that nothing changes
when they try. Outputs last.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from coop.views import add_service_errors
from programmes.choices import OutputKind
from tasks import services
from tasks.choices import FundingSource, OutputStatus, ReportStatus, TaskStatus
from tasks.forms import ProgressReportForm, ProgressReviewForm
from tasks.models import Funding, Output, ProgressDisbursement, ProgressReport, Task, disbursement_field
from tests.conftest import logged_in
from tests.factories import (
    FundingFactory,
    OutputFactory,
    ProgressReportFactory,
)
from tests.helpers import database_state, dd_mm_yyyy, opened_version, shows, vietnamese

pytestmark = pytest.mark.django_db

BILLION = Decimal(10**9)


# Helpers


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Every row of the tasks app.
TASKS_APP = (Task, Funding, ProgressReport, ProgressDisbursement, Output)


def report_form(**typed) -> dict:
    """A progress report as a provincial department types it, submitted for review."""
    return {
        "as_of": "15/05/2017",
        "percent_complete": "60",
        "summary": "Đã xây dựng xong 3 mô hình trình diễn.",
        "problems": "Giải ngân chậm.",
        "next_steps": "Tổ chức hội thảo đầu bờ.",
        "action": "submit",
        **typed,
    }


def row(funding) -> str:
    """The name of the input for what was disbursed on one funding row."""
    return disbursement_field(funding.pk)


def amounts_typed(world, ministry_2016="1.000.000.000", province_2017="200.000.000") -> dict:
    """The disbursement per funding row of the world's task, as a department types it."""
    return {row(world.funding_2016): ministry_2016, row(world.funding_2017): province_2017}


def reported(report) -> dict:
    """{(source, year): amount} of what a report gives per funding row."""
    return {
        (item.funding.source, item.funding.year): item.disbursed_to_date
        for item in report.disbursements.select_related("funding")
    }


def output_form(**typed) -> dict:
    return {
        "kind": OutputKind.MODEL,
        "name": "Mô hình trồng nấm rơm",
        "quantity": "3",
        "unit": "mô hình",
        "achieved_on": "20/11/2017",
        "location": "huyện Vũ Thư",
        "evidence_number": "",
        "evidence_date": "",
        **typed,
    }


@pytest.fixture
def world(roles):
    """`roles` with a task under way with 2 × 1 billion allocated, and the department's e-mail address.

    The 2017 funding row is created before the 2016 one, so that "oldest year first" is
    not mistaken for "first created first". `world.administrator_user` may both report and review.
    """
    roles.province_user.email = "so.thaibinh@example.vn"
    roles.province_user.save()
    roles.task.status = TaskStatus.APPROVED
    roles.task.save()
    roles.funding_2017 = FundingFactory(task=roles.task, source=FundingSource.PROVINCE, year=2017, disbursed=0)
    roles.funding_2016 = FundingFactory(task=roles.task, source=FundingSource.MINISTRY, year=2016, disbursed=0)
    return roles


def submitted_report(world, **fields) -> ProgressReport:
    """A report of the world's task giving 1 billion disbursed on the 2016 row and 200 million on the 2017 one."""
    values = {
        "task": world.task,
        "as_of": datetime.date(2017, 5, 15),
        "percent_complete": 60,
        "disbursements": {world.funding_2016: BILLION, world.funding_2017: Decimal(200_000_000)},
        "status": ReportStatus.SUBMITTED,
        "submitted_by": world.province_user,
        "submitted_at": timezone.now(),
        **fields,
    }
    return ProgressReportFactory(**values)


def returned_report(world) -> ProgressReport:
    return submitted_report(
        world,
        status=ReportStatus.RETURNED,
        reviewed_by=world.ministry_user,
        reviewed_at=timezone.now(),
        review_note="Thiếu số liệu giải ngân năm 2017.",
    )


# A department reports progress


def test_province_staff_open_the_progress_form_of_their_task(world):
    response = logged_in(world.province_user).get(reverse("progress_report_add", args=[world.task.pk]))
    assert response.status_code == 200
    assert shows(response, vietnamese("New progress report"))
    assert shows(response, world.task.title)
    assert set(response.context["form"].fields) >= {"as_of", "percent_complete", *amounts_typed(world)}


def test_the_form_lists_each_funding_row_with_its_allocation_and_what_was_approved_before(world):
    world.funding_2016.disbursed = BILLION
    services.funding_save(funding=world.funding_2016)
    response = logged_in(world.province_user).get(reverse("progress_report_add", args=[world.task.pk]))
    rows = response.context["form"].disbursement_rows()
    assert [(funding.source, funding.year) for funding, _field in rows] == [
        (FundingSource.MINISTRY, 2016),
        (FundingSource.PROVINCE, 2017),
    ]
    html = response.content.decode()
    assert shows(response, vietnamese("Disbursed to date, by funding row"))
    assert shows(response, vietnamese(FundingSource.MINISTRY.label)) and shows(response, "2017")
    # Two allocations and one approved before in the table, and the approved total above the form.
    assert html.count("1.000.000.000 đ") == 4
    assert f'name="{row(world.funding_2016)}"' in html and f'name="{row(world.funding_2017)}"' in html


def test_a_task_without_funding_rows_asks_for_no_amounts_and_says_so(world):
    services.funding_save_many(deleted=[world.funding_2016, world.funding_2017])
    client = logged_in(world.province_user)
    response = client.get(reverse("progress_report_add", args=[world.task.pk]))
    assert not response.context["form"].disbursement_rows()
    assert shows(
        response,
        vietnamese(
            "The task has no funding rows yet, so there is nothing to report as disbursed. "
            "The Ministry records the funding of the task first."
        ),
    )
    saved = client.post(reverse("progress_report_add", args=[world.task.pk]), report_form())
    assert saved.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.disbursed_to_date, reported(report)) == (None, {})


def test_province_staff_submit_a_report_with_the_date_and_money_typed_the_vietnamese_way(world):
    response = logged_in(world.province_user).post(
        reverse("progress_report_add", args=[world.task.pk]), report_form(**amounts_typed(world))
    )
    report = ProgressReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("progress_report_detail", args=[report.pk])
    assert (report.as_of, report.percent_complete) == (datetime.date(2017, 5, 15), 60)
    assert reported(report) == {
        (FundingSource.MINISTRY, 2016): BILLION,
        (FundingSource.PROVINCE, 2017): Decimal(200_000_000),
    }
    assert report.disbursed_to_date == Decimal(1_200_000_000)  # their sum, for lists and exports
    assert (report.status, report.submitted_by) == (ReportStatus.SUBMITTED, world.province_user)
    assert report.submitted_at is not None
    assert flashed(response) == [vietnamese("The progress report was submitted to the Ministry for review.")]
    world.task.refresh_from_db()
    assert (world.task.percent_complete, world.task.status) == (0, TaskStatus.APPROVED)  # not before approval


def test_province_staff_keep_a_draft_to_finish_later(world):
    response = logged_in(world.province_user).post(
        reverse("progress_report_add", args=[world.task.pk]), report_form(action="draft")
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get().status == ReportStatus.DRAFT
    assert flashed(response) == [vietnamese("The progress report was saved as a draft. Submit it when it is ready.")]


def test_a_draft_is_finished_and_submitted_from_the_edit_form(world):
    draft = ProgressReportFactory(task=world.task, submitted_by=world.province_user, percent_complete=20)
    client = logged_in(world.province_user)
    page = client.get(reverse("progress_report_edit", args=[draft.pk]))
    assert page.status_code == 200
    assert shows(page, vietnamese("Correct the progress report"))
    assert 'value="30/06/2017"' in page.content.decode()  # the date shown as it is typed
    response = client.post(
        reverse("progress_report_edit", args=[draft.pk]),
        report_form(opened_version=opened_version(page), **amounts_typed(world)),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.percent_complete, draft.disbursed_to_date) == (
        ReportStatus.SUBMITTED,
        60,
        Decimal(1_200_000_000),
    )


def test_a_draft_shows_its_figures_again_and_a_row_left_blank_drops_its_figure(world):
    draft = ProgressReportFactory(
        task=world.task, submitted_by=world.province_user, disbursements={world.funding_2016: Decimal(300_000_000)}
    )
    client = logged_in(world.province_user)
    page = client.get(reverse("progress_report_edit", args=[draft.pk]))
    assert f'name="{row(world.funding_2016)}" value="300.000.000"' in page.content.decode()
    response = client.post(
        reverse("progress_report_edit", args=[draft.pk]),
        report_form(opened_version=opened_version(page), **amounts_typed(world, ministry_2016="", province_2017="5")),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert reported(draft) == {(FundingSource.PROVINCE, 2017): Decimal(5)}
    assert draft.disbursed_to_date == Decimal(5)


# Input the department must correct: the form comes back with a message, nothing is saved

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)
ROW = "the input of the 2017 funding row"
BAD_INPUT = {
    # case: (field, typed, message and its parameters)
    "percent above 100": ("percent_complete", "150", ("Percent complete must be between 0 and 100.", {})),
    # The form field's own bound (a positive number's) says so in the same words, not in Django's.
    "percent below 0": ("percent_complete", "-1", ("Percent complete must be between 0 and 100.", {})),
    "31 February": ("as_of", "31/02/2020", ("Enter the date as dd/mm/yyyy, for example 10/06/2020.", {})),
    "words for money": (
        ROW,
        "một tỷ hai",
        ("Enter an amount in whole đồng, for example 1.200.000.000.", {}),
    ),
    "a negative amount": (ROW, "-5", ("Amounts cannot be negative.", {})),
    "a future date": ("as_of", dd_mm_yyyy(TOMORROW), ("The report cannot be dated in the future.", {})),
    "before the task started": (
        "as_of",
        "31/12/2015",
        ("The report cannot be dated before the task started (%(start)s).", {"start": "01/01/2016"}),
    ),
    "more disbursed than the row was allocated": (
        ROW,
        "1.000.000.001",
        ("Cannot exceed the %(allocated)s allocated on this row.", {"allocated": "1.000.000.000 đ"}),
    ),
}


def form_url(world, form: str) -> str:
    if form == "new report":
        return reverse("progress_report_add", args=[world.task.pk])
    draft = ProgressReportFactory(task=world.task, submitted_by=world.province_user)
    return reverse("progress_report_edit", args=[draft.pk])


def posted_form(world, form: str, **typed) -> dict:
    """The progress form as posted: a draft's edit also carries the version it was opened at."""
    version = {} if form == "new report" else {"opened_version": "1"}
    return report_form(**amounts_typed(world), **version, **typed)


@pytest.mark.parametrize("form", ["new report", "draft"])
@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_comes_back_with_a_vietnamese_message_on_its_field_and_saves_nothing(world, case, form):
    field, typed, (message, params) = BAD_INPUT[case]
    field = row(world.funding_2017) if field == ROW else field
    url = form_url(world, form)
    before = database_state(*TASKS_APP)
    response = logged_in(world.province_user).post(url, {**posted_form(world, form), field: typed})
    assert response.status_code == 200
    expected = vietnamese(message, **params)
    assert response.context["form"].errors[field] == [expected]
    assert shows(response, expected)
    assert shows(response, vietnamese("Nothing was saved: please correct what is marked below."))
    assert f'value="{escape(typed)}"' in response.content.decode()  # what was typed stays in the box
    assert database_state(*TASKS_APP) == before


@pytest.mark.parametrize("form", ["new report", "draft"])
def test_every_mistake_shows_at_once_each_field_outlined(world, form):
    # A percent out of range, a date in the future and too much disbursed: one submit tells all three.
    url = form_url(world, form)
    typed = {"percent_complete": "150", "as_of": dd_mm_yyyy(TOMORROW), row(world.funding_2017): "1.000.000.001"}
    response = logged_in(world.province_user).post(url, {**posted_form(world, form), **typed})
    assert response.status_code == 200
    form_shown = response.context["form"]
    assert set(form_shown.errors) == set(typed)
    html = response.content.decode()
    for name in typed:
        field_html = str(form_shown[name])
        assert "is-invalid" in field_html and 'aria-invalid="true"' in field_html
        assert f'name="{name}"' in html
    assert html.count("is-invalid") >= len(typed)


def test_an_error_found_only_when_saving_still_outlines_its_field(world):
    # The service checks again inside its transaction; what it refuses is shown on the field, outlined.
    form = ProgressReportForm(
        data=report_form(**amounts_typed(world)),
        task=world.task,
        fundings=[world.funding_2016, world.funding_2017],
    )
    assert form.is_valid()
    add_service_errors(form, ValidationError({"as_of": "Báo cáo khác đã được gửi cho ngày này."}))
    assert "is-invalid" in str(form["as_of"]) and 'aria-invalid="true"' in str(form["as_of"])
    assert "is-invalid" not in str(form["percent_complete"])


def test_the_form_shows_the_latest_approved_percent_and_what_was_approved_as_disbursed_of_the_allocation(world):
    services.progress_report_approve(report=submitted_report(world, percent_complete=45), reviewer=world.ministry_user)
    services.progress_report_approve(
        report=submitted_report(world, as_of=datetime.date(2016, 12, 31), percent_complete=20),
        reviewer=world.ministry_user,
    )
    response = logged_in(world.province_user).get(reverse("progress_report_add", args=[world.task.pk]))
    assert response.context["last_approved"].percent_complete == 45
    assert shows(response, vietnamese("Where the task stands as approved"))
    assert shows(response, vietnamese("%(percent)s%% complete as of %(date)s", percent=45, date="15/05/2017"))
    assert shows(
        response,
        vietnamese(
            "%(disbursed)s of %(allocated)s allocated", disbursed="1.200.000.000 đ", allocated="2.000.000.000 đ"
        ),
    )


def test_a_task_with_nothing_approved_says_so_on_the_form(world):
    response = logged_in(world.province_user).get(reverse("progress_report_add", args=[world.task.pk]))
    assert response.context["last_approved"] is None
    assert shows(response, vietnamese("None approved yet"))


# The Ministry's queue


def test_ministry_staff_find_submitted_reports_in_their_queue_and_the_header_count(world):
    waiting = submitted_report(world)
    submitted_report(world, task=world.other_task, submitted_by=world.other_province_user)
    ProgressReportFactory(task=world.task, submitted_by=world.province_user)  # a draft is not for review
    response = logged_in(world.ministry_user).get(reverse("progress_report_list"), {"status": "submitted"})
    assert response.status_code == 200
    rows = [row.record for row in response.context["table"].page.object_list]
    assert len(rows) == 2 and waiting in rows
    assert all(row.status == ReportStatus.SUBMITTED for row in rows)
    assert response.context["progress_work"]["count"] == 2
    html = response.content.decode()
    assert f'text-bg-warning ms-1">2<span class="visually-hidden"> {vietnamese("waiting for review")}' in html
    assert f'href="{reverse("progress_report_list")}?status=submitted"' in html


def test_a_department_sees_only_its_own_reports_and_counts_those_returned_to_it(world):
    returned = returned_report(world)
    submitted_report(world, task=world.other_task, submitted_by=world.other_province_user)
    response = logged_in(world.province_user).get(reverse("progress_report_list"))
    assert [row.record for row in response.context["table"].page.object_list] == [returned]
    assert response.context["progress_work"]["count"] == 1
    assert f"{vietnamese('returned to you')}</span>" in response.content.decode()


@pytest.mark.parametrize("user", ["province_user", "ministry_user", "leadership_user"])
def test_the_report_page_shows_what_the_department_reported_and_the_ministrys_note(world, user):
    report = returned_report(world)
    response = logged_in(getattr(world, user)).get(reverse("progress_report_detail", args=[report.pk]))
    assert response.status_code == 200
    assert shows(response, report.summary)
    assert shows(response, "1.200.000.000 đ")
    assert shows(response, "Thiếu số liệu giải ngân năm 2017.")
    assert shows(response, vietnamese(ReportStatus.RETURNED.label))


# Approval: the task follows the report


def test_approving_sets_the_task_copies_the_money_onto_each_funding_row_and_mails_the_submitter(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    report = submitted_report(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(world.ministry_user).post(
            reverse("progress_report_detail", args=[report.pk]), {"decision": "approve", "note": ""}, follow=True
        )
    assert response.redirect_chain == [(reverse("progress_report_list"), 302)]
    assert shows(response, vietnamese("Approved: the task now shows %(percent)s%% complete.", percent=60))
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (ReportStatus.APPROVED, world.ministry_user)
    world.task.refresh_from_db()
    assert (world.task.percent_complete, world.task.status) == (60, TaskStatus.IN_PROGRESS)
    world.funding_2016.refresh_from_db()
    world.funding_2017.refresh_from_db()
    assert (world.funding_2016.disbursed, world.funding_2017.disbursed) == (BILLION, Decimal(200_000_000))
    (mail,) = mailoutbox
    assert mail.to == ["so.thaibinh@example.vn"]
    assert mail.subject == vietnamese("Progress report approved: %(task)s", task=world.task.code)
    assert reverse("progress_report_detail", args=[report.pk]) in mail.body


def test_an_older_report_approved_later_does_not_set_the_task_back(world):
    submitted_report(
        world,
        as_of=datetime.date(2017, 12, 31),
        percent_complete=80,
        status=ReportStatus.APPROVED,
        reviewed_by=world.ministry_user,
        reviewed_at=timezone.now(),
    )
    older = submitted_report(world, as_of=datetime.date(2017, 5, 15), percent_complete=60)
    response = logged_in(world.ministry_user).post(
        reverse("progress_report_detail", args=[older.pk]), {"decision": "approve", "note": ""}
    )
    assert response.status_code == 302
    older.refresh_from_db()
    assert older.status == ReportStatus.APPROVED
    world.task.refresh_from_db()
    assert (world.task.percent_complete, world.task.status) == (80, TaskStatus.IN_PROGRESS)  # the latest by date


def test_a_row_the_report_leaves_blank_keeps_what_was_approved_before(world):
    world.funding_2017.disbursed = Decimal(150_000_000)
    services.funding_save(funding=world.funding_2017)
    report = submitted_report(world, disbursements={world.funding_2016: Decimal(300_000_000)})
    response = logged_in(world.ministry_user).post(
        reverse("progress_report_detail", args=[report.pk]), {"decision": "approve", "note": ""}
    )
    assert response.status_code == 302
    amounts = dict(Funding.objects.filter(task=world.task).values_list("year", "disbursed"))
    assert amounts == {2016: Decimal(300_000_000), 2017: Decimal(150_000_000)}


def test_an_older_report_approved_later_does_not_set_a_row_back(world):
    """Per row, as for the percent: the figure of the latest approved report by its date."""
    submitted_report(
        world,
        as_of=datetime.date(2017, 12, 31),
        status=ReportStatus.APPROVED,
        reviewed_by=world.ministry_user,
        reviewed_at=timezone.now(),
        disbursements={world.funding_2016: BILLION},
    )
    world.funding_2016.disbursed = BILLION
    services.funding_save(funding=world.funding_2016)
    older = submitted_report(
        world, disbursements={world.funding_2016: Decimal(400_000_000), world.funding_2017: Decimal(100_000_000)}
    )
    services.progress_report_approve(report=older, reviewer=world.ministry_user)
    amounts = dict(Funding.objects.filter(task=world.task).values_list("year", "disbursed"))
    assert amounts == {2016: BILLION, 2017: Decimal(100_000_000)}


MILLION = Decimal(10**6)


def test_tb_2012_28_approving_moves_no_money_between_sources(roles):
    """The issue's case: 2019 and 2020 rows of the Ministry (1.500 million a year) and of the province (400);
    by 2020 the Ministry had paid 600 million of 2020 and the province 160. The province reports the
    Ministry's 2020 row at 1.300 million (3.200 million in all): the provincial rows keep their amounts.
    """
    task = roles.task
    task.status = TaskStatus.IN_PROGRESS
    task.save()
    rows = {
        (source, year): FundingFactory(
            task=task, source=source, year=year, allocated=allocated * MILLION, disbursed=disbursed * MILLION
        )
        for source, year, allocated, disbursed in (
            (FundingSource.MINISTRY, 2019, 1500, 1500),
            (FundingSource.PROVINCE, 2019, 400, 400),
            (FundingSource.MINISTRY, 2020, 1500, 600),
            (FundingSource.PROVINCE, 2020, 400, 160),
        )
    }
    typed = {
        (FundingSource.MINISTRY, 2019): "1.500.000.000",
        (FundingSource.PROVINCE, 2019): "400.000.000",
        (FundingSource.MINISTRY, 2020): "1.300.000.000",
        (FundingSource.PROVINCE, 2020): "",  # nothing new on the province's 2020 row
    }
    response = logged_in(roles.province_user).post(
        reverse("progress_report_add", args=[task.pk]),
        report_form(as_of="31/05/2020", **{row(rows[key]): amount for key, amount in typed.items()}),
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=task)
    assert report.disbursed_to_date == 3200 * MILLION
    services.progress_report_approve(report=report, reviewer=roles.ministry_user)
    disbursed = {(item.source, item.year): item.disbursed for item in Funding.objects.filter(task=task)}
    assert disbursed == {
        (FundingSource.MINISTRY, 2019): 1500 * MILLION,
        (FundingSource.PROVINCE, 2019): 400 * MILLION,
        (FundingSource.MINISTRY, 2020): 1300 * MILLION,
        (FundingSource.PROVINCE, 2020): 160 * MILLION,  # the former rule made it 0
    }
    task.refresh_from_db()
    assert (task.ministry_funding, task.province_funding) == (3000 * MILLION, 800 * MILLION)


def test_approval_refuses_a_figure_above_an_allocation_cut_since_the_report_was_sent(world):
    report = submitted_report(world)
    world.funding_2017.allocated = Decimal(100_000_000)
    world.funding_2017.disbursed = Decimal(0)
    services.funding_save(funding=world.funding_2017)
    before = database_state(*TASKS_APP)
    response = logged_in(world.ministry_user).post(
        reverse("progress_report_detail", args=[report.pk]), {"decision": "approve", "note": ""}
    )
    assert response.status_code == 200
    message = vietnamese("Cannot exceed the %(allocated)s allocated on this row.", allocated="100.000.000 đ")
    assert shows(response, message)
    assert database_state(*TASKS_APP) == before


def test_the_report_page_shows_each_funding_row_with_the_figure_given_and_the_amount_recorded(world):
    report = submitted_report(world, disbursements={world.funding_2017: Decimal(200_000_000)})
    response = logged_in(world.ministry_user).get(reverse("progress_report_detail", args=[report.pk]))
    rows = response.context["disbursement_rows"]
    assert [(item.funding.year, item.reported) for item in rows] == [(2016, None), (2017, Decimal(200_000_000))]
    assert shows(response, "200.000.000 đ")
    assert shows(response, vietnamese("not reported"))
    assert shows(response, vietnamese("Record the decision"))  # the review form beside the figures


def test_a_funding_row_a_report_gives_figures_on_cannot_be_deleted(world):
    submitted_report(world)
    with pytest.raises(ValidationError) as refused:
        services.funding_delete(funding=world.funding_2016)
    assert refused.value.messages == [
        vietnamese(
            "The funding row %(rows)s cannot be deleted: a progress report gives what was disbursed on it. "
            "Correct its amounts instead.",
            rows=f"{vietnamese(FundingSource.MINISTRY.label)} 2016",
        )
    ]
    assert Funding.objects.filter(pk=world.funding_2016.pk).exists()


def test_a_figure_on_another_tasks_funding_row_is_refused(world):
    other_row = FundingFactory(task=world.other_task)
    with pytest.raises(ValidationError):
        services.progress_report_save(
            task=world.task,
            author=world.province_user,
            data={**report_form(), "as_of": datetime.date(2017, 5, 15), "disbursements": {other_row.pk: BILLION}},
            submit=True,
        )
    assert not ProgressReport.objects.exists()


# Return with a note, correct, resubmit


def test_returning_without_a_note_is_refused_with_a_message(world, mailoutbox):
    report = submitted_report(world)
    response = logged_in(world.ministry_user).post(
        reverse("progress_report_detail", args=[report.pk]), {"decision": "return", "note": "  "}
    )
    assert response.status_code == 200
    assert shows(response, vietnamese("Say why the report is returned, so that the province can correct it."))
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (ReportStatus.SUBMITTED, None)
    assert mailoutbox == []


def test_a_return_without_a_note_is_refused_by_the_review_form_and_by_the_service(world):
    """What the page above shows once it renders; neither the form nor the service lets it through."""
    report = submitted_report(world)
    form = ProgressReviewForm({"decision": "return", "note": "  "})
    expected = vietnamese("Say why the report is returned, so that the province can correct it.")
    assert not form.is_valid()
    assert form.errors["note"] == [expected]
    with pytest.raises(ValidationError) as refused:
        services.progress_report_return(report=report, reviewer=world.ministry_user, note="  ")
    assert refused.value.message_dict == {"note": [expected]}
    report.refresh_from_db()
    assert (report.status, report.version) == (ReportStatus.SUBMITTED, 1)


def test_a_returned_report_is_corrected_and_resubmitted_then_approved(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    report = submitted_report(world)
    ministry, province = logged_in(world.ministry_user), logged_in(world.province_user)
    note = "Thiếu số liệu giải ngân năm 2017."
    with django_capture_on_commit_callbacks(execute=True):
        returned = ministry.post(
            reverse("progress_report_detail", args=[report.pk]), {"decision": "return", "note": note}, follow=True
        )
    assert shows(returned, vietnamese("Returned to the province with your note."))
    report.refresh_from_db()
    assert (report.status, report.review_note) == (ReportStatus.RETURNED, note)
    assert mailoutbox[0].subject == vietnamese("Progress report returned: %(task)s", task=world.task.code)
    assert note in mailoutbox[0].body
    world.task.refresh_from_db()
    assert world.task.percent_complete == 0  # returning changes nothing in the task

    page = province.get(reverse("progress_report_edit", args=[report.pk]))
    assert page.status_code == 200
    assert page.context["progress_work"]["count"] == 1
    assert shows(page, vietnamese("Returned by the Ministry with this note:"))
    assert shows(page, note)
    resubmitted = province.post(
        reverse("progress_report_edit", args=[report.pk]),
        report_form(opened_version=opened_version(page), **amounts_typed(world, province_2017="500.000.000")),
    )
    assert resubmitted.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.disbursed_to_date) == (ReportStatus.SUBMITTED, Decimal(1_500_000_000))

    approved = ministry.post(reverse("progress_report_detail", args=[report.pk]), {"decision": "approve", "note": ""})
    assert approved.status_code == 302
    world.task.refresh_from_db()
    assert (world.task.percent_complete, world.task.status) == (60, TaskStatus.IN_PROGRESS)
    assert sorted(Funding.objects.filter(task=world.task).values_list("disbursed", flat=True)) == [
        Decimal(500_000_000),
        BILLION,
    ]


def test_a_report_already_reviewed_cannot_be_reviewed_again(world):
    report = returned_report(world)
    before = database_state(*TASKS_APP)
    response = logged_in(world.ministry_user).post(
        reverse("progress_report_detail", args=[report.pk]), {"decision": "approve", "note": ""}
    )
    assert response.status_code == 403
    assert database_state(*TASKS_APP) == before


# Nobody reviews their own report


def test_the_submitter_cannot_approve_their_own_report(world, mailoutbox):
    """An administrator may report and review; their own report waits for someone else."""
    report = submitted_report(world, submitted_by=world.administrator_user)
    before = database_state(*TASKS_APP)
    response = logged_in(world.administrator_user).post(
        reverse("progress_report_detail", args=[report.pk]), {"decision": "approve", "note": ""}
    )
    assert response.status_code == 403
    assert database_state(*TASKS_APP) == before
    assert mailoutbox == []


# Outside the scope, leadership, anonymous: refused, and nothing changes


def thai_binh_requests(world) -> list[tuple[str, str, dict]]:
    """(method, URL, data) of every progress and output page, on the Thái Bình task's records."""
    draft = ProgressReportFactory(task=world.task, submitted_by=world.province_user)
    submitted = submitted_report(world)
    output = OutputFactory(task=world.task)
    return [
        ("get", reverse("progress_report_add", args=[world.task.pk]), {}),
        ("post", reverse("progress_report_add", args=[world.task.pk]), report_form()),
        ("get", reverse("progress_report_edit", args=[draft.pk]), {}),
        ("post", reverse("progress_report_edit", args=[draft.pk]), report_form()),
        ("post", reverse("progress_report_detail", args=[submitted.pk]), {"decision": "approve", "note": ""}),
        ("get", reverse("output_add", args=[world.task.pk]), {}),
        ("post", reverse("output_add", args=[world.task.pk]), output_form()),
        ("get", reverse("output_edit", args=[output.pk]), {}),
        ("post", reverse("output_edit", args=[output.pk]), output_form()),
    ]


def test_a_department_outside_the_scope_gets_404_on_reads_and_404_or_403_on_writes(world):
    report = submitted_report(world)
    output = OutputFactory(task=world.task)
    client = logged_in(world.other_province_user)
    for url in (
        reverse("progress_report_detail", args=[report.pk]),
        reverse("output_detail", args=[output.pk]),
        reverse("task_detail", args=[world.task.pk]),
    ):
        assert client.get(url).status_code == 404, url
    listed = client.get(reverse("progress_report_list")).context["table"].page.object_list
    assert report not in [row.record for row in listed]
    requests = thai_binh_requests(world)
    before = database_state(*TASKS_APP)
    for method, url, data in requests:
        # The edit and review pages find no such record (404); the add pages may refuse (403).
        expected = {404} if "/add/" not in url else {403, 404}
        assert getattr(client, method)(url, data).status_code in expected, (method, url)
    assert database_state(*TASKS_APP) == before


def test_leadership_gets_403_on_every_write_and_nothing_changes(world):
    requests = thai_binh_requests(world)
    client = logged_in(world.leadership_user)
    before = database_state(*TASKS_APP)
    for method, url, data in requests:
        assert getattr(client, method)(url, data).status_code == 403, (method, url)
    assert database_state(*TASKS_APP) == before


# Reading the lists and the pages of one row anonymously: tests/generic.
ANONYMOUS_PAGES = [
    ("post", "progress_report_detail", "report"),
    ("get", "progress_report_add", "task"),
    ("post", "progress_report_add", "task"),
    ("get", "progress_report_edit", "report"),
    ("post", "output_add", "task"),
    ("post", "output_edit", "output"),
]


@pytest.mark.parametrize(("method", "url_name", "record"), ANONYMOUS_PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in_and_changes_nothing(world, method, url_name, record):
    """As after a session expired while the form was open."""
    records = {"task": world.task, "report": submitted_report(world), "output": OutputFactory(task=world.task)}
    url = reverse(url_name, args=[records[record].pk] if record else [])
    before = database_state(*TASKS_APP)
    data = {"decision": "approve", **report_form(), **output_form()} if method == "post" else {}
    response = getattr(Client(), method)(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert database_state(*TASKS_APP) == before


# Outputs


def test_province_staff_record_an_output_of_their_task(world):
    response = logged_in(world.province_user).post(
        reverse("output_add", args=[world.task.pk]), output_form(), follow=True
    )
    # The output's page, where it stands in its review: recorded, counting in no figure yet.
    output = Output.objects.get()
    assert response.redirect_chain == [(reverse("output_detail", args=[output.pk]), 302)]
    assert (output.task, output.name, output.quantity) == (world.task, "Mô hình trồng nấm rơm", 3)
    assert output.achieved_on == datetime.date(2017, 11, 20)
    assert output.status == OutputStatus.RECORDED
    assert shows(
        response,
        vietnamese("The output was recorded. It counts in the figures once submitted and verified by the Ministry."),
    )
    assert shows(response, "Mô hình trồng nấm rơm")


@pytest.mark.parametrize("quantity", ["0", "-1"])
@pytest.mark.parametrize("form", ["new output", "existing output"])
def test_a_quantity_below_1_is_refused_with_a_message(world, form, quantity):
    existing = OutputFactory(task=world.task, status=OutputStatus.RECORDED)
    url = (
        reverse("output_add", args=[world.task.pk])
        if form == "new output"
        else reverse("output_edit", args=[existing.pk])
    )
    before = database_state(*TASKS_APP)
    response = logged_in(world.province_user).post(url, output_form(quantity=quantity))
    assert response.status_code == 200
    expected = vietnamese("The quantity must be at least 1.")
    assert response.context["form"].errors["quantity"] == [expected]
    assert shows(response, expected)
    assert database_state(*TASKS_APP) == before


def test_ministry_staff_edit_any_provinces_output(world):
    output = OutputFactory(task=world.other_task, name="Mô hình nuôi tôm", quantity=1)
    client = logged_in(world.ministry_user)
    page = client.get(reverse("output_edit", args=[output.pk]))
    assert page.status_code == 200
    assert shows(page, vietnamese("Edit the output"))
    response = client.post(
        reverse("output_edit", args=[output.pk]),
        output_form(name="Mô hình nuôi tôm thẻ chân trắng", quantity="2", opened_version=opened_version(page)),
        follow=True,
    )
    assert response.redirect_chain == [(reverse("output_detail", args=[output.pk]), 302)]
    output.refresh_from_db()
    assert (output.name, output.quantity, output.version) == ("Mô hình nuôi tôm thẻ chân trắng", 2, 2)
    # The output was verified: corrected, it goes back to review, in the name of whoever corrected it.
    assert (output.status, output.submitted_by, output.reviewed_by) == (
        OutputStatus.SUBMITTED,
        world.ministry_user,
        None,
    )
    assert shows(response, vietnamese("The output was submitted to the Ministry for verification."))
    assert shows(response, "Mô hình nuôi tôm thẻ chân trắng")


def test_a_department_edits_the_outputs_of_its_own_task(world):
    output = OutputFactory(task=world.task, quantity=1, status=OutputStatus.RECORDED)
    response = logged_in(world.province_user).post(
        reverse("output_edit", args=[output.pk]),
        output_form(quantity="5", action="save", opened_version="1"),
        follow=True,
    )
    assert response.redirect_chain == [(reverse("output_detail", args=[output.pk]), 302)]
    output.refresh_from_db()
    assert (output.quantity, output.status) == (5, OutputStatus.RECORDED)
    assert shows(
        response,
        vietnamese("The output was recorded. It counts in the figures once submitted and verified by the Ministry."),
    )


def test_an_output_outside_the_scope_is_404_and_stays_as_it_was(world):
    output = OutputFactory(task=world.task, name="Mô hình của Thái Bình")
    client = logged_in(world.other_province_user)
    before = database_state(*TASKS_APP)
    assert client.get(reverse("output_detail", args=[output.pk])).status_code == 404
    assert client.get(reverse("output_edit", args=[output.pk])).status_code == 404
    assert client.post(reverse("output_edit", args=[output.pk]), output_form(name="Đổi tên")).status_code == 404
    assert client.post(reverse("output_add", args=[world.task.pk]), output_form()).status_code in (403, 404)
    assert database_state(*TASKS_APP) == before
    listed = client.get(reverse("output_list")).context["table"].page.object_list
    assert output not in [row.record for row in listed]
