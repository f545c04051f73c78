"""A programme's reporting schedule: drawn from a rule, edited by hand by Ministry staff, and the period a
progress report answers for."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from programmes.models import ReportingPeriod
from reporting.services import reporting_schedule_draw
from tasks.choices import ReportStatus
from tests.conftest import logged_in
from tests.factories import ProgrammeFactory, ProgressReportFactory

D = datetime.date
RULE = {
    "reporting_frequency": "half_yearly",
    "reporting_due_day": "15",
    "reporting_due_months_after": "0",
    "reminder_days_before": "7",
}


def schedule_post(programme, action="save", periods=(), **changes):
    """The schedule form's POST: the rule, and the period rows given as (starts, ends, due, final, delete, pk)."""
    data = {**RULE, **changes, "action": action, "opened_version": programme.version}
    data.update({"periods-TOTAL_FORMS": len(periods), "periods-INITIAL_FORMS": sum(1 for p in periods if p[5])})
    for index, (starts, ends, due, final, delete, pk) in enumerate(periods):
        prefix = f"periods-{index}-"
        data.update({prefix + "starts_on": starts, prefix + "ends_on": ends, prefix + "due_on": due})
        if final:
            data[prefix + "is_final"] = "on"
        if delete:
            data[prefix + "DELETE"] = "on"
        if pk:
            data[prefix + "id"] = pk
    return data


@pytest.fixture
def programme(roles):
    roles.programme.start_year, roles.programme.end_year, roles.programme.orientation_year = 2019, 2020, None
    roles.programme.save()
    return roles.programme


def test_ministry_staff_draw_the_periods_from_the_rule(roles, programme):
    client = logged_in(roles.ministry_user)
    url = reverse("reporting_schedule", args=[programme.pk])
    programme.refresh_from_db()
    response = client.post(url, schedule_post(programme, action="draw"))
    assert response.status_code == 302
    periods = list(programme.reporting_periods.order_by("ends_on").values_list("ends_on", "due_on", "is_final"))
    assert periods == [
        (D(2019, 6, 30), D(2019, 6, 15), False),
        (D(2019, 12, 31), D(2019, 12, 15), False),
        (D(2020, 6, 30), D(2020, 6, 15), False),
        (D(2020, 12, 31), D(2020, 12, 15), True),
    ]


def test_a_due_date_moved_by_hand_is_kept(roles, programme):
    reporting_schedule_draw(programme=programme, data={**RULE, "reporting_due_months_after": 0})
    programme.refresh_from_db()
    rows = [
        (
            p.starts_on.strftime("%d/%m/%Y"),
            p.ends_on.strftime("%d/%m/%Y"),
            p.due_on.strftime("%d/%m/%Y"),
            p.is_final,
            False,
            p.pk,
        )
        for p in programme.reporting_periods.order_by("ends_on")
    ]
    rows[0] = (*rows[0][:2], "20/06/2019", *rows[0][3:])  # 15/06/2019 fell on a Saturday
    response = logged_in(roles.ministry_user).post(
        reverse("reporting_schedule", args=[programme.pk]), schedule_post(programme, periods=rows)
    )
    assert response.status_code == 302
    assert programme.reporting_periods.order_by("ends_on").first().due_on == D(2019, 6, 20)


def test_overlapping_periods_are_refused_with_a_message(roles, programme):
    rows = [
        ("01/01/2019", "30/06/2019", "15/07/2019", False, False, None),
        ("01/06/2019", "31/12/2019", "15/01/2020", False, False, None),
    ]
    client = logged_in(roles.ministry_user, language="en")
    response = client.post(reverse("reporting_schedule", args=[programme.pk]), schedule_post(programme, periods=rows))
    assert response.status_code == 200
    assert "The periods ending 30/06/2019 and 31/12/2019 overlap." in response.content.decode()
    assert not programme.reporting_periods.exists()


def test_a_period_reports_answer_for_is_kept_when_deleted_or_drawn_again(roles, programme):
    reporting_schedule_draw(programme=programme, data={**RULE, "reporting_due_months_after": 0})
    first = programme.reporting_periods.order_by("ends_on").first()
    ProgressReportFactory(task=roles.task, period=first, as_of=D(2019, 6, 30), status=ReportStatus.SUBMITTED)
    programme.refresh_from_db()
    row = (
        first.starts_on.strftime("%d/%m/%Y"),
        first.ends_on.strftime("%d/%m/%Y"),
        "15/06/2019",
        False,
        True,
        first.pk,
    )
    client = logged_in(roles.ministry_user, language="en")
    response = client.post(reverse("reporting_schedule", args=[programme.pk]), schedule_post(programme, periods=[row]))
    assert response.status_code == 200
    assert "A period that reports answer for cannot be deleted." in response.content.decode()
    assert ReportingPeriod.objects.filter(pk=first.pk).exists()
    # Drawn again as yearly: the half-year period with a report stays beside the new yearly ones.
    programme.refresh_from_db()
    response = client.post(
        reverse("reporting_schedule", args=[programme.pk]),
        schedule_post(programme, action="draw", reporting_frequency="yearly"),
        follow=True,
    )
    assert "1 period outside the rule was kept because reports answer for it." in response.content.decode()
    assert sorted(programme.reporting_periods.values_list("ends_on", flat=True)) == [
        D(2019, 6, 30),
        D(2019, 12, 31),
        D(2020, 12, 31),
    ]


def test_reports_without_a_period_are_placed_in_the_one_their_date_falls_in(roles, programme):
    report = ProgressReportFactory(
        task=roles.task,
        as_of=D(2019, 9, 30),
        status=ReportStatus.APPROVED,
        reviewed_by=roles.ministry_user,
        reviewed_at=datetime.datetime(2019, 10, 5, tzinfo=datetime.UTC),
    )
    reporting_schedule_draw(programme=programme, data=RULE)
    report.refresh_from_db()
    assert report.period.ends_on == D(2019, 12, 31)


@pytest.mark.parametrize("user", ["province_user", "leadership_user"])
def test_only_ministry_staff_set_a_schedule(roles, programme, user):
    client = logged_in(getattr(roles, user))
    url = reverse("reporting_schedule", args=[programme.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, schedule_post(programme, action="draw")).status_code == 403
    assert not programme.reporting_periods.exists()


def test_a_programme_outside_the_scope_is_not_found(roles):
    outside = ProgrammeFactory()
    assert logged_in(roles.ministry_user).get(reverse("reporting_schedule", args=[outside.pk])).status_code == 200
    assert logged_in(roles.province_user).get(reverse("reporting_schedule", args=[outside.pk])).status_code == 403


# The period of a progress report


def test_the_report_form_offers_the_programmes_periods_and_takes_the_one_linked(roles, programme):
    reporting_schedule_draw(programme=programme, data=RULE)
    period = programme.reporting_periods.order_by("ends_on")[2]
    client = logged_in(roles.province_user)
    url = reverse("progress_report_add", args=[roles.task.pk])
    form = client.get(url, {"period": period.pk}).context["form"]
    assert list(form.fields["period"].queryset) == list(programme.reporting_periods.order_by("ends_on"))
    assert form["period"].value() == period.pk
    data = {
        "period": period.pk,
        "as_of": "30/06/2020",
        "percent_complete": "40",
        "summary": "Đã triển khai mô hình.",
        "action": "submit",
    }
    assert client.post(url, data).status_code == 302
    report = roles.task.progress_reports.get()
    assert (report.period, report.status, report.first_submitted_on) == (
        period,
        ReportStatus.SUBMITTED,
        report.submitted_at.astimezone(datetime.timezone(datetime.timedelta(hours=7))).date(),
    )


def test_a_period_of_another_programme_is_refused(roles, programme):
    reporting_schedule_draw(programme=programme, data=RULE)
    reporting_schedule_draw(programme=roles.other_programme, data=RULE)
    foreign = roles.other_programme.reporting_periods.first()
    client = logged_in(roles.province_user, language="en")
    response = client.post(
        reverse("progress_report_add", args=[roles.task.pk]),
        {"period": foreign.pk, "as_of": "30/06/2020", "percent_complete": "40", "summary": "x", "action": "save"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["period"]
    assert not roles.task.progress_reports.exists()


def test_a_report_corrected_after_a_return_keeps_its_first_submission_day(roles, programme):
    from tasks.services import progress_report_return, progress_report_save

    reporting_schedule_draw(programme=programme, data=RULE)
    period = programme.reporting_periods.first()
    data = {"period": period, "as_of": D(2019, 6, 30), "percent_complete": 10, "summary": "Bắt đầu."}
    report = progress_report_save(task=roles.task, author=roles.province_user, data=data, submit=True)
    first_day = report.first_submitted_on
    progress_report_return(report=report, reviewer=roles.ministry_user, note="Bổ sung số liệu.")
    report.refresh_from_db()
    with time_machine.travel(datetime.datetime(2030, 1, 1, 9, tzinfo=datetime.UTC), tick=False):
        again = progress_report_save(
            task=roles.task,
            author=roles.province_user,
            data=data,
            submit=True,
            report=report,
            opened_version=report.version,
        )
    assert again.submitted_at.year == 2030
    assert again.first_submitted_on == first_day
