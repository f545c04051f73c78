"""The Vietnamese catalogue is complete, compiled, in step with the source strings, and Django's own messages read
as the site words them."""

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# The project's own apps (those in its folder), and the templates.
SOURCE_FOLDERS = [
    *(app.name for app in apps.get_app_configs() if Path(app.path).parent == Path(settings.BASE_DIR)),
    "templates",
]


def test_every_entry_of_the_catalogue_is_translated():
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [entry.msgid for entry in catalogue if not entry.obsolete and not entry.translated()]
    assert missing == [], f"untranslated or fuzzy: {missing}"


def test_the_compiled_catalogue_matches_the_source_catalogue():
    """The .mo is committed so that a machine without GNU gettext still shows Vietnamese."""
    source = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(CATALOGUE)) if e.translated()}
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(COMPILED)) if e.msgid}
    assert compiled == source, "run `make messages` and commit locale/vi/LC_MESSAGES/django.mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_source_string_is_in_the_catalogue(tmp_path):
    """Extract the strings again from a copy of the sources; none may be missing from the catalogue."""
    for folder in SOURCE_FOLDERS:
        if (Path(settings.BASE_DIR) / folder).exists():
            shutil.copytree(Path(settings.BASE_DIR) / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(Path(settings.BASE_DIR) / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "vi", "--no-location", "--verbosity", "0"],
        cwd=tmp_path,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "coop.settings", "PYTHONPATH": str(tmp_path)},
    )
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(tmp_path / "locale/vi/LC_MESSAGES/django.po"))}
    catalogued = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    assert sorted(extracted - catalogued, key=str) == [], "run `make messages` and translate the new strings"


@pytest.mark.parametrize(
    ("english", "vietnamese"),
    [
        ("S&T task", "Nhiệm vụ KH&CN"),
        ("lead agency", "cơ quan chủ trì"),
        ("Demonstration model", "Mô hình trình diễn"),
        ("Central S&T budget (Ministry)", "Ngân sách trung ương (Bộ hỗ trợ)"),
        ("Mid-term review conference", "Hội nghị sơ kết"),
    ],
)
def test_glossary_terms_are_used(english, vietnamese):
    with translation.override("vi"):
        assert translation.gettext(english) == vietnamese


@pytest.mark.parametrize(
    ("validator", "value", "vietnamese"),
    [
        (MinValueValidator(0), -1, "Giá trị phải lớn hơn hoặc bằng 0."),
        (MaxValueValidator(28), 31, "Giá trị phải nhỏ hơn hoặc bằng 28."),
        (MaxLengthValidator(5), "Thái Bình", "Nội dung chỉ được có tối đa 5 ký tự (hiện có 9)."),
        (DecimalValidator(18, 0), Decimal("1.5"), "Số chỉ được có tối đa 0 chữ số thập phân."),
    ],
    ids=["min value", "max value", "max length", "decimal places"],
)
def test_djangos_validators_speak_the_sites_vietnamese(validator, value, vietnamese):
    """Django's own catalogue says "Đảm bảo giá trị này lớn hơn hoặc bằng với 0 ." (the space is in it)."""
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        validator(value)
    assert refused.value.messages == [vietnamese]


def test_no_vietnamese_message_has_a_space_before_its_punctuation():
    """Vietnamese puts no space before a full stop or a comma; Django's own catalogue does in places ("… 0 ."),
    which is why the site words those messages itself."""
    spaced = [
        text
        for entry in polib.pofile(str(CATALOGUE))
        if not entry.obsolete
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if re.search(r"\S \s*[.,;:?!)](\s|$)", text)
    ]
    assert spaced == []
