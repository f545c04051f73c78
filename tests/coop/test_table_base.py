"""What every list table has from `coop.tables.BaseTable` and `coop.columns`, checked on each of them."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import django_tables2 as tables
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context
from django.utils import translation

from coop.columns import CodeTitleColumn, CountColumn, DayColumn, MoneyColumn, PercentColumn
from coop.tables import BaseTable, related_table, table_rows_html
from programmes.models import Agency
from tasks.tables import TaskTable
from tests.factories import AgencyFactory
from tests.helpers import list_views

TABLES = [view.table_class for view in list_views().values()]


@pytest.mark.parametrize("table_class", TABLES, ids=lambda table: table.__name__)
def test_every_list_table_has_the_shared_look(table_class):
    assert issubclass(table_class, BaseTable)
    assert table_class([]).attrs["class"] == "table table-sm table-hover align-middle"


@pytest.mark.parametrize("table_class", TABLES, ids=lambda table: table.__name__)
def test_every_sort_ends_with_the_primary_key(table_class):
    table = table_class([])
    for column in table.columns.iterall():
        if column.orderable:
            keys = list(column.column.order_by)  # the bound column's would be reversed on a descending sort
            assert keys[-1] == "pk", column.name
            assert keys.count("pk") == 1, column.name


@pytest.mark.parametrize("table_class", TABLES, ids=lambda table: table.__name__)
def test_the_page_shows_the_default_columns_and_exports_every_column(table_class):
    table = table_class([])
    everything = [column.name for column in table.columns.iterall()]
    shown = [column.name for column in table.columns]
    default = table_class.Meta.default_columns
    assert shown == ([name for name in everything if name in default] if default is not None else everything)
    assert everything == list(table_class.Meta.sequence)


def test_a_column_sorted_by_its_accessor_or_by_other_keys_ends_with_pk_either_way():
    class ProvinceTable(BaseTable):
        name = tables.Column()
        parent = tables.Column(order_by="parent__name")
        province = tables.Column(order_by=("province__name", "-pk"))
        note = tables.Column(accessor="short_name", orderable=False)

        class Meta(BaseTable.Meta):
            model = Agency
            fields = ("name", "parent", "province")

    columns = ProvinceTable.base_columns
    assert list(columns["name"].order_by) == ["name", "pk"]
    assert list(columns["parent"].order_by) == ["parent__name", "pk"]
    assert list(columns["province"].order_by) == ["province__name", "-pk"]  # already ends with it
    assert columns["note"].order_by is None


def test_hiding_columns_leaves_the_class_and_other_tables_alone():
    class TwoColumns(BaseTable):
        name = tables.Column()
        short_name = tables.Column()

        class Meta(BaseTable.Meta):
            default_columns = ("name",)

    assert [column.name for column in TwoColumns([]).columns] == ["name"]
    assert TwoColumns.base_columns["short_name"].visible
    assert [column.name for column in TwoColumns([]).columns.iterall()] == ["name", "short_name"]


def test_a_table_whose_meta_forgets_the_base_is_refused():
    with pytest.raises(ImproperlyConfigured, match="BaseTable.Meta"):

        class Forgetful(BaseTable):
            name = tables.Column()

            class Meta:
                attrs = {"class": "table"}


def test_a_default_column_that_does_not_exist_is_refused():
    with pytest.raises(ImproperlyConfigured, match="nmae"):

        class Misspelt(BaseTable):
            name = tables.Column()

            class Meta(BaseTable.Meta):
                default_columns = ("nmae",)


def test_a_column_always_shown_that_does_not_exist_is_refused():
    with pytest.raises(ImproperlyConfigured, match="required_columns.*nmae"):

        class Misspelt(BaseTable):
            name = tables.Column()

            class Meta(BaseTable.Meta):
                required_columns = ("nmae",)


@pytest.mark.parametrize("table_class", TABLES, ids=lambda table: table.__name__)
def test_every_list_keeps_its_first_column_and_shows_the_defaults_when_nothing_usable_was_chosen(table_class):
    names = table_class.column_names()
    assert names[0] in table_class.always_shown()
    assert set(table_class.always_shown()) <= set(table_class.Meta.default_columns or names)
    assert table_class.columns_to_show(None) is None
    assert table_class.columns_to_show(["no_such_column"]) is None
    always = table_class.always_shown()
    chosen = [name for name in names if name not in always][-1]
    assert table_class.columns_to_show([chosen, "no_such_column"]) == tuple(
        name for name in names if name in (*always, chosen)
    )


# Each shared column: what the page shows and what exports write.

PROGRAMME = SimpleNamespace(
    code="CT-TB-2012",
    title='Chương trình "phối hợp" <Thái Bình>',
    get_absolute_url=lambda: "/programmes/7/",
)


def page_and_export(column, value, record=None):
    class OneColumn(BaseTable):
        cell = column

    table = OneColumn([record or {"cell": value}])
    row = table.rows[0]
    return str(row.get_cell("cell")), row.get_cell_value("cell")


@translation.override("vi")
def test_money_day_percent_and_count_columns_format_the_page_and_export_raw_values():
    assert page_and_export(MoneyColumn(), Decimal(1_234_567_000)) == ("1.234.567.000 đ", Decimal(1_234_567_000))
    assert page_and_export(DayColumn(), datetime.date(2020, 6, 10)) == ("10/06/2020", datetime.date(2020, 6, 10))
    assert page_and_export(PercentColumn(), 85) == ("85%", 85)
    assert page_and_export(CountColumn(), 1250) == ("1.250", 1250)
    record = {"cell": 12, "unit": "mô hình"}
    assert page_and_export(CountColumn(unit_accessor="unit"), 12, record) == ("12 mô hình", 12)


def test_a_code_column_shows_the_code_with_the_title_on_hover_and_exports_either():
    record = SimpleNamespace(cell=PROGRAMME)
    page, exported = page_and_export(CodeTitleColumn(), PROGRAMME, record)
    title = "Chương trình &quot;phối hợp&quot; &lt;Thái Bình&gt;"
    assert page == f'<a href="/programmes/7/"><span title="{title}">CT-TB-2012</span></a>'
    assert exported == PROGRAMME.title
    page, exported = page_and_export(CodeTitleColumn(title_on_link=True, export_attribute="code"), PROGRAMME, record)
    assert page == f'<a href="/programmes/7/" title="{title}">CT-TB-2012</a>'
    assert exported == "CT-TB-2012"


def test_a_related_table_shows_the_chosen_columns_of_the_list_unsorted():
    table = related_table(TaskTable, [], columns=("code", "title", "status"), html_id="programme-tasks")
    assert [column.name for column in table.columns if column.visible] == ["code", "title", "status"]
    assert not any(column.orderable for column in table.columns)
    assert table.attrs["id"] == "programme-tasks"
    assert table.attrs["class"] == BaseTable.Meta.attrs["class"]
    with pytest.raises(ImproperlyConfigured):
        related_table(TaskTable, [], columns=("code", "no_such_column"), html_id="x")


def test_cell_attributes_computed_from_each_row_are_written_per_row_as_the_library_does(db):
    """Fixed `td` attributes are worked out once per column; with a function among them, for every cell."""

    class Flagged(BaseTable):
        name = tables.Column(attrs={"td": {"class": lambda record: "odd-key" if record.pk % 2 else "even-key"}})
        short_name = tables.Column(attrs={"td": {"class": "num"}})

        class Meta(BaseTable.Meta):
            model = Agency
            fields = ("name", "short_name")

    for index in range(3):
        AgencyFactory(name=f"Sở KH&CN {index}", short_name=f"S{index}")
    rows = list(Agency.objects.order_by("pk"))
    ours = re.findall(r"<td ([^>]*)>", table_rows_html(Flagged(rows), Context(autoescape=True)))
    theirs = [column.attrs["td"].as_html() for row in Flagged(rows).rows for column, _cell in row.items()]
    assert ours == theirs
    assert {'class="odd-key"', 'class="even-key"', 'class="num"'} <= set(ours)
