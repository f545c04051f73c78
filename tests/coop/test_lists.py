"""What keeps the lists fast at national scale, checked for giving the same answers as the plain way:
pages read by primary key first, filter selects written in Python, filters listing only what was chosen,
totals summed over funding rows, sorting by funding over a join, counts riding on the first rows.
"""

import re
from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coop.filters import LabelColumnChoiceField, QuickCheckboxSelectMultiple, QuickSelectMultiple, RowsChoiceField
from programmes.models import Programme
from reports.queries import first_rows_and_count
from tasks.choices import FundingSource
from tasks.filters import TaskFilter, programme_choices
from tasks.models import Funding, Task
from tasks.queries import task_rows, task_totals
from tests.factories import AgencyFactory, OutputFactory, ProgrammeFactory, TaskFactory, fund
from tests.helpers import listed_pks

pytestmark = pytest.mark.django_db

MILLION = Decimal(10**6)


@pytest.fixture
def sixty_tasks():
    """Sixty tasks in three programmes; funding amounts repeat, so that sorting by them needs the pk to break ties."""
    programmes = [ProgrammeFactory(start_year=2016 + n, end_year=2020 + n) for n in range(3)]
    tasks = []
    for number in range(60):
        task = TaskFactory(programme=programmes[number % 3], code=f"NV-{59 - number:02d}")
        fund(task, FundingSource.MINISTRY, allocated=(number % 7 + 1) * MILLION)
        if number % 2:
            fund(task, FundingSource.PROVINCE, allocated=(number % 5) * MILLION)
        tasks.append(task)
    return tasks


def test_a_deep_page_shows_the_rows_of_the_plain_query_with_their_figures(admin_client, sixty_tasks):
    expected = list(task_rows())
    response = admin_client.get(reverse("task_list"), {"page": 3})
    records = [row.record for row in response.context["table"].page.object_list]
    assert [record.pk for record in records] == [task.pk for task in expected[50:60]]
    assert [record.total_funding for record in records] == [task.total_funding for task in expected[50:60]]
    assert response.context["table"].paginator.count == 60


@pytest.mark.parametrize("column", ["total_funding", "-total_funding", "ministry_funding", "-province_funding"])
def test_sorting_by_funding_pages_through_the_sums_in_order(admin_client, sixty_tasks, column):
    name = column.lstrip("-")
    source = {"total_funding": None, "ministry_funding": "ministry", "province_funding": "province"}[name]
    fundings = Funding.objects.filter(source=source) if source else Funding.objects.all()
    sums = dict(fundings.values_list("task").annotate(total=Sum("allocated")))
    # Ties are broken by pk in the direction of the sort, as in every column of the list.
    expected = sorted(
        Task.objects.values_list("pk", flat=True),
        key=lambda pk: (sums.get(pk) or 0, pk),
        reverse=column.startswith("-"),
    )
    pages = [listed_pks(admin_client.get(reverse("task_list"), {"sort": column, "page": page})) for page in (1, 2, 3)]
    assert [pk for page in pages for pk in page] == expected


def test_a_deep_page_runs_as_many_queries_as_the_first(admin_client, sixty_tasks):
    counts = []
    admin_client.get(reverse("task_list"))  # the totals over every task, kept from then on
    admin_client.get(reverse("task_list"), {"sort": "-total_funding"})  # and the rows' order in this sort
    for page in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            admin_client.get(reverse("task_list"), {"page": page, "sort": "-total_funding"})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_totals_match_the_sums_of_each_task_with_and_without_filters(sixty_tasks):
    everything = task_totals(queryset=task_rows())
    assert everything["count"] == 60
    assert everything["total_funding"] == Funding.objects.aggregate(total=Sum("allocated"))["total"]
    programme = sixty_tasks[0].programme
    some = task_totals(queryset=task_rows().filter(programme=programme))
    tasks = list(task_rows().filter(programme=programme))
    assert some["count"] == len(tasks) == 20
    for name in ("ministry_funding", "province_funding", "counterpart_funding", "other_funding", "total_funding"):
        assert some[name] == sum(getattr(task, name) for task in tasks), name


def test_the_quick_select_writes_the_markup_of_djangos(db):
    choices = [(1, "Bộ KH&CN"), (2, 'Sở "Thái Bình"'), (3, "<b>")]
    attrs = {"class": "form-select form-select-sm"}
    django_html = forms.SelectMultiple(attrs=attrs, choices=choices).render("p", ["2", "3"], {"id": "id_p"})
    quick_html = QuickSelectMultiple(attrs=attrs, choices=choices).render("p", ["2", "3"], {"id": "id_p"})
    assert re.sub(r"\s+", "", quick_html) == re.sub(r"\s+", "", django_html)


def test_the_quick_checkboxes_write_the_markup_of_djangos():
    choices = [("a", "Nông nghiệp"), ('b"&', 'Sở "Thái Bình"'), ("", "<b>")]
    attrs = {"class": "form-check-input", "aria-describedby": "id_p_helptext"}

    def options(widget_class, wrap_label):
        form = forms.Form()
        form.fields["p"] = forms.MultipleChoiceField(choices=choices, widget=widget_class(attrs=attrs))
        bound = forms.Form({"p": ['b"&']})
        bound.fields["p"] = form.fields["p"]
        return [option.tag(wrap_label=wrap_label) for option in bound["p"]]

    for wrap_label in (False, True):
        assert options(QuickCheckboxSelectMultiple, wrap_label) == options(forms.CheckboxSelectMultiple, wrap_label)
    assert 'value="b&quot;&amp;" class="form-check-input"' in options(QuickCheckboxSelectMultiple, False)[1]
    assert " checked" in options(QuickCheckboxSelectMultiple, False)[1]


def test_the_list_filters_write_their_checkboxes_quickly(rf, admin_user):
    request = rf.get("/tasks/")
    request.user = admin_user
    form = TaskFilter(request.GET, queryset=task_rows(), request=request).form
    assert type(form.fields["status"].widget) is QuickCheckboxSelectMultiple


def test_programme_options_read_as_pairs_are_those_read_as_instances(rf, admin_user):
    for title in ("Chương trình Thái Bình", 'Dự án "Nông thôn" & <miền núi>'):
        ProgrammeFactory(title=title)
    request = rf.get("/tasks/", {"programme": [str(Programme.objects.first().pk)]})
    request.user = admin_user
    form = TaskFilter(request.GET, queryset=task_rows(), request=request).form
    assert isinstance(form.fields["programme"], LabelColumnChoiceField)
    as_instances = RowsChoiceField(queryset=programme_choices(admin_user))
    expected = QuickSelectMultiple(attrs=form.fields["programme"].widget.attrs, choices=as_instances.choices)
    chosen = request.GET.getlist("programme")
    assert str(form["programme"]) == expected.render("programme", chosen, {"id": "id_programme"})


def test_the_lead_agency_filter_lists_only_the_agency_chosen(admin_client):
    chosen = AgencyFactory(name="Trung tâm Ứng dụng tiến bộ KH&CN Thái Bình")
    for _ in range(5):
        TaskFactory()
    TaskFactory(lead_agency=chosen)
    html = admin_client.get(reverse("task_list")).content.decode()
    select = html[html.index('name="lead_agency"') : html.index("</select>", html.index('name="lead_agency"'))]
    assert "<option" not in select  # none chosen: nothing to list
    response = admin_client.get(reverse("task_list"), {"lead_agency": chosen.pk})
    html = response.content.decode()
    select = html[html.index('name="lead_agency"') : html.index("</select>", html.index('name="lead_agency"'))]
    assert select.count("<option") == 1
    assert f'value="{chosen.pk}" selected' in select
    assert response.context["totals"]["count"] == 1


def test_the_output_task_filter_lists_only_the_task_chosen(admin_client):
    tasks = [OutputFactory().task for _ in range(4)]
    html = admin_client.get(reverse("output_list"), {"task": tasks[1].pk}).content.decode()
    select = html[html.index('name="task"') : html.index("</select>", html.index('name="task"'))]
    assert select.count("<option") == 1
    assert tasks[1].code in select


def test_the_first_rows_carry_the_count_of_all(db):
    for _ in range(7):
        TaskFactory()
    rows, count = first_rows_and_count(Task.objects.order_by("pk"), 3)
    assert (len(rows), count) == (3, 7)
    assert first_rows_and_count(Task.objects.none(), 3) == ([], 0)
    assert first_rows_and_count(Task.objects.filter(code="nothing"), 3) == ([], 0)
