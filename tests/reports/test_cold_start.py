"""The libraries that draw, read and sign documents, and the one of workbooks, are imported when used, not at start.

WeasyPrint, python-docx and pyHanko take together more than a second to import; the URLconf reaches
the modules that use them (through the views and services), so if those modules imported them at
their top, every process would pay that before its first answer (issue 20: the development server
answered 3× slower than a bare Django project). Read as: a fresh process that sets up Django and
imports the URLconf, every app's views, admin and urls has none of them; drawing a PDF brings them in.
openpyxl likewise (and numpy, which it loads) comes in when a workbook is written or read.
"""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
# The libraries only a document's drawing, reading or signing needs.
DRAWING_LIBRARIES = ("weasyprint", "docx", "pyhanko", "pypdf", "fontTools")
# The library that writes and reads workbooks, and numpy, which it loads: a fifth of a second (coop/xlsx.py).
SPREADSHEET_LIBRARIES = ("openpyxl", "numpy")

STARTUP = """
import importlib, sys
import django
django.setup()
from django.apps import apps
import coop.urls
for app in apps.get_app_configs():
    for part in ("views", "urls", "admin"):
        try:
            importlib.import_module(app.name + "." + part)
        except ModuleNotFoundError as missing:
            if missing.name != app.name + "." + part:
                raise
import reports.background, reports.services
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def modules_after(script: str) -> set[str]:
    """The top-level packages a fresh process with the test's settings has imported after running `script`."""
    environment = dict(os.environ, DJANGO_SETTINGS_MODULE="coop.settings")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_starting_the_site_imports_none_of_the_drawing_libraries():
    loaded = modules_after(STARTUP)
    assert "reports" in loaded
    assert [name for name in DRAWING_LIBRARIES if name in loaded] == []
    assert [name for name in SPREADSHEET_LIBRARIES if name in loaded] == []


def modules_after_startup_and(*lines: str) -> set[str]:
    """The top-level packages loaded once the site has started and then run `lines` (Python statements)."""
    return modules_after(STARTUP.replace("print(", "".join(line + "\n" for line in lines) + "print("))


def test_the_drawing_libraries_come_in_when_a_document_is_drawn():
    loaded = modules_after_startup_and(
        "from reports.pdf import page_count, render_pdf",
        "from reports.services import review_document_docx",
        "import reports.docx, reports.signing",
        "reports.signing._stamp_style()",
        "pdf = render_pdf('reports/pdf/task_sheet.html', {})",
        "assert page_count(pdf) >= 1",
    )
    assert [name for name in DRAWING_LIBRARIES if name not in loaded] == []


def test_openpyxl_comes_in_when_a_workbook_is_written_or_read():
    loaded = modules_after_startup_and(
        "import io",
        "from coop.exports import ExportNotes, rows_response",
        "from imports.spreadsheet import read_table",
        "response = rows_response(['A'], [[1]], formats=None, export_format='xlsx', "
        "notes=ExportNotes(title='t'), separator=';')",
        "table = read_table(io.BytesIO(b''.join(response.streaming_content)), 'rows.xlsx')",
        "assert table.header == ['A'], table.header",
    )
    assert [name for name in SPREADSHEET_LIBRARIES if name not in loaded] == []
