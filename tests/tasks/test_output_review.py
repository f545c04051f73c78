"""The review of outputs and their units, read as the life of an output.

A province records an output (it counts in no figure), submits it, and Ministry staff other
than the submitter verify it against its evidence (it counts from then on) or return it with
the reason (the correction goes back to review). Then who may not: the submitter reviewing
their own, a province verifying, a province changing a verified output. Then the figures:
only verified outputs count, pending ones show beside them, and quantities of different units
are never added up.
"""

import datetime
import importlib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from programmes.choices import OutputKind
from reports.figures import agency_activity, programme_figures
from reports.queries import dashboard, programme_review
from tasks import services
from tasks.choices import OutputStatus
from tasks.models import Output
from tests.conftest import logged_in
from tests.factories import OutputFactory, TargetFactory, TaskFactory
from tests.helpers import count_queries, database_state, shows, vietnamese

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def model_data(**fields) -> dict:
    return {
        "kind": OutputKind.MODEL,
        "name": "Mô hình trồng nấm rơm",
        "description": "",
        "quantity": 3,
        "unit": "mô hình",
        "achieved_on": datetime.date(2017, 11, 20),
        "location": "huyện Vũ Thư",
        "evidence_number": "12/BB-NT",
        "evidence_date": datetime.date(2017, 11, 25),
        **fields,
    }


def form_data(**typed) -> dict:
    return {
        "kind": "model",
        "name": "Mô hình trồng nấm rơm",
        "quantity": "3",
        "unit": "mô hình",
        "achieved_on": "20/11/2017",
        "location": "huyện Vũ Thư",
        "evidence_number": "12/BB-NT",
        "evidence_date": "25/11/2017",
        **typed,
    }


def recorded(world, **fields) -> Output:
    return services.output_record(task=world.task, author=world.province_user, data=model_data(**fields))


def submitted(world, **fields) -> Output:
    return services.output_submit(output=recorded(world, **fields), author=world.province_user)


def models_figure(world):
    figures = programme_figures(programme=world.programme, user=world.ministry_user)
    return next((figure for figure in figures.outputs_by_kind if figure.key == OutputKind.MODEL), None)


# The life of an output


def test_an_output_counts_only_once_verified_and_shows_as_pending_before(roles):
    output = recorded(roles)
    assert output.status == OutputStatus.RECORDED
    assert (models_figure(roles).value, models_figure(roles).pending) == (0, 3)
    output = services.output_submit(output=output, author=roles.province_user)
    assert (output.status, output.submitted_by) == (OutputStatus.SUBMITTED, roles.province_user)
    assert (models_figure(roles).value, models_figure(roles).pending) == (0, 3)
    output = services.output_verify(output=output, reviewer=roles.ministry_user)
    assert (output.status, output.reviewed_by) == (OutputStatus.VERIFIED, roles.ministry_user)
    figure = models_figure(roles)
    assert (figure.value, figure.pending, figure.unit) == (3, 0, "mô hình")


def test_a_returned_output_needs_a_reason_and_its_correction_goes_back_to_review(roles):
    output = submitted(roles)
    before = database_state(Output)
    with pytest.raises(ValidationError) as refused:
        services.output_return(output=output, reviewer=roles.ministry_user, note="  ")
    assert vietnamese("Say why the output is returned, so that the province can correct it.") in str(refused.value)
    assert database_state(Output) == before
    output = services.output_return(output=output, reviewer=roles.ministry_user, note="Thiếu biên bản nghiệm thu.")
    assert output.status == OutputStatus.RETURNED
    assert models_figure(roles) is None  # neither counted nor pending: it waits for the province
    corrected = services.output_update(
        output=output, author=roles.province_user, data=model_data(quantity=2), opened_version=output.version
    )
    assert (corrected.status, corrected.quantity, corrected.review_note) == (OutputStatus.SUBMITTED, 2, "")
    # The reason stays in the history.
    assert "Thiếu biên bản nghiệm thu." in set(corrected.history.values_list("review_note", flat=True))


def test_a_returned_output_without_a_reason_is_refused_by_the_database(roles):
    output = submitted(roles)
    Output.objects.filter(pk=output.pk).update(reviewed_by=roles.ministry_user, reviewed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Output.objects.filter(pk=output.pk).update(status=OutputStatus.RETURNED, review_note="")


def test_nobody_verifies_an_output_they_submitted(roles):
    output = services.output_record(task=roles.task, author=roles.ministry_user, data=model_data(), submit=True)
    with pytest.raises(ValidationError) as refused:
        services.output_verify(output=output, reviewer=roles.ministry_user)
    assert vietnamese("Nobody may verify an output they submitted.") in refused.value.messages
    response = logged_in(roles.ministry_user).post(output.get_absolute_url(), {"decision": "verify"})
    assert response.status_code == 403
    output.refresh_from_db()
    assert output.status == OutputStatus.SUBMITTED
    # The database refuses it too.
    output.reviewed_by, output.reviewed_at, output.status = roles.ministry_user, timezone.now(), OutputStatus.VERIFIED
    with pytest.raises(ValidationError):
        output.full_clean()


def test_a_province_cannot_verify(roles):
    output = submitted(roles)
    with pytest.raises(ValidationError) as refused:
        services.output_verify(output=output, reviewer=roles.other_province_user)
    assert vietnamese("Only Ministry staff verify or return outputs.") in refused.value.messages
    for user in (roles.province_user, roles.leadership_user):
        assert logged_in(user).post(output.get_absolute_url(), {"decision": "verify"}).status_code == 403
    output.refresh_from_db()
    assert output.status == OutputStatus.SUBMITTED


def test_a_verified_output_can_no_longer_be_changed_by_the_province(roles):
    output = services.output_verify(output=submitted(roles), reviewer=roles.ministry_user)
    client = logged_in(roles.province_user)
    before = database_state(Output)
    assert client.get(reverse("output_edit", args=[output.pk])).status_code == 403
    assert client.post(reverse("output_edit", args=[output.pk]), form_data(quantity="30")).status_code == 403
    assert client.post(reverse("output_submit", args=[output.pk])).status_code == 403
    with pytest.raises(ValidationError):
        services.output_update(
            output=output, author=roles.province_user, data=model_data(quantity=30), opened_version=None
        )
    assert database_state(Output) == before
    assert not shows(client.get(output.get_absolute_url()), reverse("output_edit", args=[output.pk]))


def test_a_ministry_correction_of_a_verified_output_is_verified_again_by_someone_else(roles):
    output = services.output_verify(output=submitted(roles), reviewer=roles.ministry_user)
    corrected = services.output_update(
        output=output, author=roles.ministry_user, data=model_data(quantity=4), opened_version=output.version
    )
    assert (corrected.status, corrected.submitted_by) == (OutputStatus.SUBMITTED, roles.ministry_user)
    assert models_figure(roles).value == 0
    with pytest.raises(ValidationError):
        services.output_verify(output=corrected, reviewer=roles.ministry_user)


@pytest.mark.parametrize("kind", [OutputKind.VARIETY, OutputKind.BRAND, OutputKind.PATENT])
def test_a_variety_brand_or_patent_is_verified_only_with_its_decision_or_certificate(roles, kind):
    output = submitted(roles, kind=kind, unit="giống", evidence_number="", evidence_date=None)
    with pytest.raises(ValidationError) as refused:
        services.output_verify(output=output, reviewer=roles.ministry_user)
    assert "Cần có văn bản chứng minh" in refused.value.messages[0]
    output.refresh_from_db()
    assert output.status == OutputStatus.SUBMITTED
    output = services.output_return(output=output, reviewer=roles.ministry_user, note="Bổ sung quyết định.")
    output = services.output_update(
        output=output,
        author=roles.province_user,
        data=model_data(
            kind=kind, unit="giống", evidence_number="123/QĐ-BNN", evidence_date=datetime.date(2015, 12, 31)
        ),
        opened_version=output.version,
    )
    assert services.output_verify(output=output, reviewer=roles.ministry_user).status == OutputStatus.VERIFIED


def test_a_technology_is_verified_without_a_contract_if_the_reviewer_accepts_it(roles):
    output = submitted(roles, kind=OutputKind.TECHNOLOGY, unit="công nghệ", evidence_number="", evidence_date=None)
    assert services.output_verify(output=output, reviewer=roles.ministry_user).status == OutputStatus.VERIFIED


def test_the_submitter_is_told_by_e_mail_when_the_output_is_verified_or_returned(
    roles, django_capture_on_commit_callbacks
):
    roles.province_user.email = "so.thaibinh@example.vn"
    roles.province_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.output_verify(output=submitted(roles), reviewer=roles.ministry_user)
        services.output_return(
            output=submitted(roles, name="Mô hình khác"), reviewer=roles.ministry_user, note="Sai số."
        )
    assert [message.to for message in mail.outbox] == [["so.thaibinh@example.vn"]] * 2
    assert "Kết quả đã được xác nhận" in mail.outbox[0].subject
    assert "Kết quả bị trả lại" in mail.outbox[1].subject
    assert "Sai số." in mail.outbox[1].body


# Through the pages


def test_the_ministry_verifies_from_the_review_queue(roles):
    output = submitted(roles)
    client = logged_in(roles.ministry_user)
    queue = client.get(reverse("output_list"), {"status": "submitted"})
    assert output in [row.record for row in queue.context["table"].page.object_list]
    assert queue.context["output_work"]["count"] == 1
    assert 'id="output-work"' in queue.content.decode()
    page = client.get(output.get_absolute_url())
    assert page.context["may_review"]
    response = client.post(output.get_absolute_url(), {"decision": "verify", "note": ""}, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('output_list')}?status=submitted"
    assert shows(response, vietnamese("Verified: the output now counts in the figures."))
    output.refresh_from_db()
    assert output.status == OutputStatus.VERIFIED


def test_returning_without_a_note_is_refused_on_the_form(roles):
    output = submitted(roles)
    response = logged_in(roles.ministry_user).post(output.get_absolute_url(), {"decision": "return", "note": ""})
    assert response.status_code == 200
    assert shows(response, vietnamese("Say why the output is returned, so that the province can correct it."))
    output.refresh_from_db()
    assert output.status == OutputStatus.SUBMITTED


def test_the_province_sees_its_returned_outputs_counted_in_the_header(roles):
    services.output_return(output=submitted(roles), reviewer=roles.ministry_user, note="Thiếu số liệu.")
    response = logged_in(roles.province_user).get(reverse("output_list"))
    assert response.context["output_work"] == {"count": 1, "url": "/outputs/?status=returned", "status": "returned"}


def test_a_province_records_and_submits_an_output_with_its_evidence_file(roles):
    client = logged_in(roles.province_user)
    upload = SimpleUploadedFile("bien ban\\nghiem-thu.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("output_add", args=[roles.task.pk]), {**form_data(), "evidence_file": upload, "action": "submit"}
    )
    output = Output.objects.get()
    assert response.status_code == 302
    assert output.status == OutputStatus.SUBMITTED
    assert output.evidence_original_name == "nghiem-thu.pdf"
    assert output.evidence_file.name.startswith(f"outputs/{roles.task.pk}/")
    assert "nghiem" not in output.evidence_file.name
    download = client.get(reverse("output_evidence", args=[output.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    # Outside the province's scope, the file does not exist.
    assert logged_in(roles.other_province_user).get(reverse("output_evidence", args=[output.pk])).status_code == 404


def test_an_evidence_file_whose_content_is_not_what_it_says_is_refused(roles):
    upload = SimpleUploadedFile("bien-ban.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = logged_in(roles.province_user).post(
        reverse("output_add", args=[roles.task.pk]), {**form_data(), "evidence_file": upload}
    )
    assert response.status_code == 200
    assert "evidence_file" in response.context["form"].errors
    assert not Output.objects.exists()


def test_a_blank_unit_is_refused_on_the_form(roles):
    response = logged_in(roles.province_user).post(reverse("output_add", args=[roles.task.pk]), form_data(unit=" "))
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == [vietnamese("Say what the quantity counts: its unit.")]


def test_the_output_detail_with_its_review_form_stays_within_its_query_budget(roles):
    output = submitted(roles)
    assert count_queries(logged_in(roles.ministry_user), output.get_absolute_url()) < 15


# Figures: only verified outputs count, pending ones beside them, units never added up


def other_outputs_in_three_units(task):
    OutputFactory(task=task, kind=OutputKind.OTHER, quantity=2, unit="cơ sở dữ liệu")
    OutputFactory(task=task, kind=OutputKind.OTHER, quantity=12, unit="doanh nghiệp")
    OutputFactory(task=task, kind=OutputKind.OTHER, quantity=1, unit="phần mềm")
    OutputFactory(task=task, kind=OutputKind.OTHER, quantity=5, unit="doanh nghiệp", status=OutputStatus.SUBMITTED)


def test_a_kind_in_several_units_is_listed_per_unit_never_added(roles):
    other_outputs_in_three_units(roles.task)
    figures = programme_figures(programme=roles.programme, user=roles.ministry_user)
    assert [(f.key, f.unit, f.value, f.pending) for f in figures.outputs_by_kind] == [
        ("other", "cơ sở dữ liệu", 2, 0),
        ("other", "doanh nghiệp", 12, 5),
        ("other", "phần mềm", 1, 0),
    ]
    board = dashboard(user=roles.ministry_user)
    assert {(f.key, f.unit): f.value for f in board.outputs_by_kind if f.key == "other"} == {
        ("other", "cơ sở dữ liệu"): 2,
        ("other", "doanh nghiệp"): 12,
        ("other", "phần mềm"): 1,
    }
    activity = agency_activity(agency=roles.department, user=roles.ministry_user)
    assert [(f.unit, f.value, f.pending) for f in activity.outputs_by_kind] == [
        ("cơ sở dữ liệu", 2, 0),
        ("doanh nghiệp", 12, 5),
        ("phần mềm", 1, 0),
    ]
    # The list's totals: no sum across units, one line per unit.
    response = logged_in(roles.ministry_user).get(reverse("output_list"), {"kind": "other"})
    totals = response.context["totals"]
    assert totals["quantity"] is None
    assert [(line["row"].unit, line["row"].verified, line["row"].pending) for line in totals["by_unit"]] == [
        ("cơ sở dữ liệu", 2, 0),
        ("doanh nghiệp", 12, 5),
        ("phần mềm", 1, 0),
    ]
    html = response.content.decode()
    assert "15" not in html[html.index('id="totals"') :]
    assert "+5 chờ xác nhận" in html


def test_the_pending_figure_links_to_the_rows_it_counts(roles):
    other_outputs_in_three_units(roles.task)
    figures = programme_figures(programme=roles.programme, user=roles.ministry_user)
    waiting = next(f for f in figures.outputs_by_kind if f.unit == "doanh nghiệp")
    client = logged_in(roles.ministry_user)
    assert client.get(waiting.url).context["totals"]["quantity"] == 12
    assert client.get(waiting.pending_url).context["totals"]["pending"] == 5
    page = client.get(roles.programme.get_absolute_url())
    assert "+5 chờ xác nhận" in page.content.decode()


def test_only_verified_outputs_count_on_the_dashboard_and_in_the_review_report(roles):
    OutputFactory(task=roles.task, kind=OutputKind.TECHNOLOGY, quantity=1)
    OutputFactory(task=roles.task, kind=OutputKind.TECHNOLOGY, quantity=20, status=OutputStatus.RECORDED)
    OutputFactory(task=roles.task, kind=OutputKind.TECHNOLOGY, quantity=300, status=OutputStatus.RETURNED)
    board = dashboard(user=roles.province_user)
    technology = next(f for f in board.outputs_by_kind if f.key == OutputKind.TECHNOLOGY)
    assert (technology.value, technology.pending) == (1, 20)
    review = programme_review(
        programme=roles.programme, user=roles.ministry_user, as_of=datetime.date(2025, 1, 1), include_tasks=False
    )
    technology = next(f for f in review.figures.outputs_by_kind if f.key == OutputKind.TECHNOLOGY)
    assert (technology.value, technology.pending) == (1, 20)
    assert [(group.kind, group.quantities, len(group.outputs)) for group in review.output_groups] == [
        ("technology", [("công nghệ", 1)], 1)
    ]


def test_the_review_report_counts_an_output_only_from_the_day_it_was_verified(roles):
    output = OutputFactory(task=roles.task, kind=OutputKind.MODEL, quantity=4, achieved_on=datetime.date(2019, 5, 1))
    Output.objects.filter(pk=output.pk).update(reviewed_at=datetime.datetime(2020, 6, 15, 3, tzinfo=datetime.UTC))

    def models_as_of(day):
        review = programme_review(programme=roles.programme, user=roles.ministry_user, as_of=day, include_tasks=False)
        figure = next(f for f in review.figures.outputs_by_kind if f.key == OutputKind.MODEL)
        return figure.value, figure.pending

    assert models_as_of(datetime.date(2020, 6, 10)) == (0, 4)
    assert models_as_of(datetime.date(2020, 6, 15)) == (4, 0)


def test_a_target_is_measured_in_the_kinds_default_unit_only(roles):

    TargetFactory(programme=roles.programme, metric=OutputKind.OTHER, value=10)
    other_outputs_in_three_units(roles.task)
    OutputFactory(task=roles.task, kind=OutputKind.OTHER, quantity=3, unit="sản phẩm")
    figures = programme_figures(programme=roles.programme, user=roles.ministry_user)
    target = next(t for t in figures.targets if t.label == OutputKind.OTHER.label)
    assert target.actual == 3


def test_the_programme_page_stays_flat_with_pending_outputs_in_many_units(roles):
    client = logged_in(roles.ministry_user)
    other_outputs_in_three_units(roles.task)
    few = count_queries(client, roles.programme.get_absolute_url())
    for n in range(20):
        task = TaskFactory(programme=roles.programme, lead_agency=roles.department)
        OutputFactory(task=task, kind=OutputKind.OTHER, unit=f"đơn vị {n}", status=OutputStatus.SUBMITTED)
        OutputFactory(task=task, kind=OutputKind.MODEL, quantity=2)
    assert count_queries(client, roles.programme.get_absolute_url()) == few


# The migration of the recognition text


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Quyết định số 123/QĐ-BNN ngày 05/06/2015", ("123/QĐ-BNN", datetime.date(2015, 6, 5))),
        ("số 12/GCN ngày 5/6/2015", ("12/GCN", datetime.date(2015, 6, 5))),
        (
            "Được công nhận là giống cây trồng quốc gia năm 2015",
            ("Được công nhận là giống cây trồng quốc gia năm 2015", None),
        ),
        ("Quyết định số 1/QĐ ngày 31/02/2015", ("Quyết định số 1/QĐ ngày 31/02/2015", None)),
    ],
)
def test_the_recognition_text_moves_into_the_evidence(text, evidence):
    migration = importlib.import_module("tasks.migrations.0007_output_review_and_units")
    assert migration.evidence_from_recognition(text) == evidence
