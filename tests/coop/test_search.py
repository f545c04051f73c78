"""The folded `search_text` column: filled on save, refreshed by bulk paths, matched word by word."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from coop.search import filter_by_words, refresh_search_text
from programmes.models import Agency, Programme
from tasks.models import Output, Task
from tests.factories import (
    AgencyFactory,
    MeetingFactory,
    OutputFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgrammePartyFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


def test_save_fills_the_folded_text_of_every_searchable_model():
    agency = AgencyFactory(name="Sở Khoa học và Công nghệ tỉnh Thái Bình", short_name="Sở KH&CN Thái Bình")
    assert "so khoa hoc va cong nghe tinh thai binh" in agency.search_text
    person = PersonFactory(full_name="Trần Thị Bích Hằng", position="Giám đốc", agency=agency)
    assert "tran thi bich hang giam doc so khoa hoc" in person.search_text
    assert "hoi nghi so ket" in MeetingFactory(title="Hội nghị sơ kết").search_text
    assert "giong lua tbr225" in OutputFactory(name="Giống lúa TBR225").search_text
    task = TaskFactory(title="Ứng dụng công nghệ sinh học", lead_agency=agency)
    assert "ung dung cong nghe sinh hoc" in task.search_text
    assert "so khcn thai binh" in task.search_text  # found by its lead agency too


def test_save_with_update_fields_still_refreshes_search_text():
    task = TaskFactory(title="Cũ")
    task.title = "Mô hình nuôi ngao Thái Thụy"
    task.save(update_fields=["title"])
    task.refresh_from_db()
    assert "nuoi ngao thai thuy" in task.search_text


def test_programme_is_found_by_the_names_of_its_parties():
    programme = ProgrammeFactory(title="Chương trình phối hợp")
    ProgrammePartyFactory(programme=programme, agency=AgencyFactory(name="Ủy ban nhân dân tỉnh Thái Bình"))
    programme.refresh_from_db()
    assert "uy ban nhan dan tinh thai binh" in programme.search_text


def test_refresh_search_text_repairs_rows_written_in_bulk():
    agency = AgencyFactory(name="Trung tâm Ứng dụng tiến bộ KH&CN")
    programme = ProgrammeFactory()
    Task.objects.bulk_create(
        [
            Task(
                programme=programme,
                code=f"B-{n}",
                title=f"Nhiệm vụ đồng bộ {n}",
                field="agriculture",
                level="province",
                lead_agency=agency,
                start_on="2015-01-01",
                end_on="2016-01-01",
            )
            for n in range(5)
        ]
    )
    assert Task.objects.filter(search_text="").count() == 5
    assert refresh_search_text(Task.objects.all(), batch_size=2) == 5
    assert Task.objects.filter(search_text__contains="nhiem vu dong bo").count() == 5
    assert refresh_search_text(Task.objects.all()) == 0  # nothing left to change


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("thai binh", {"Chạm bạc Đồng Xâm, Thái Bình"}),
        ("THÁI BÌNH", {"Chạm bạc Đồng Xâm, Thái Bình"}),
        ("dong", {"Chạm bạc Đồng Xâm, Thái Bình", "Lúa Đông Hưng"}),
        ("đồng xâm", {"Chạm bạc Đồng Xâm, Thái Bình"}),
        ("lua hung", {"Lúa Đông Hưng"}),
        ("lua thai", set()),  # every word must match
        ("", {"Chạm bạc Đồng Xâm, Thái Bình", "Lúa Đông Hưng"}),  # blank input: untouched
    ],
)
def test_filter_by_words_ignores_diacritics_and_case_and_needs_every_word(query, expected):
    OutputFactory(name="Chạm bạc Đồng Xâm, Thái Bình")
    OutputFactory(name="Lúa Đông Hưng")
    found = filter_by_words(Output.objects.all(), query)
    assert set(found.values_list("name", flat=True)) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
@pytest.mark.parametrize("model", [Agency, Programme, Task, Output])
def test_search_text_has_a_trigram_index_on_postgresql(model):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [model._meta.db_table])
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("gin" in d and "search_text gin_trgm_ops" in d for d in definitions), definitions


def test_refresh_search_text_command_fixes_every_searchable_model():
    output = OutputFactory(name="Nhãn hiệu tập thể Bánh cáy làng Nguyễn")
    Output.objects.filter(pk=output.pk).update(search_text="")
    Agency.objects.update(search_text="")
    out = StringIO()
    call_command("refresh_search_text", stdout=out)
    assert "tasks.Output: 1" in out.getvalue()
    assert Output.objects.filter(search_text__contains="banh cay lang nguyen").exists()
    assert not Agency.objects.filter(search_text="").exists()
