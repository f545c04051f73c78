"""The records an uploaded file names in words (programmes, tasks, agencies, people, provinces), looked up once
for the whole file, within what the importing user sees.

Names are matched whatever their case and diacritics; a name that fits several records is an error that
lists them, never a guess.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from coop.text import fold
from imports.cells import CellError, is_blank, read_text
from programmes.models import Agency, Person, Programme, Province
from tasks.models import Task


def _by_folded(records, *names) -> dict[str, list]:
    found = defaultdict(list)
    for record in records:
        for name in names:
            text = fold(getattr(record, name) or "")
            if text and record not in found[text]:
                found[text].append(record)
    return found


class References:
    """What the rows of one file refer to, read with a fixed number of queries."""

    def __init__(self, user):
        self.user = user
        programmes = list(Programme.objects.visible_to(user).order_by("code", "pk"))
        self.programmes = _by_folded(programmes, "code", "title")
        self.programme_codes = [programme.code for programme in programmes]
        self._agencies = None
        self._provinces = None
        self.persons: dict[str, list[Person]] = {}
        self.tasks: dict[tuple[int, str], Task] = {}
        self.tasks_by_code: dict[str, list[Task]] = defaultdict(list)

    # Loaded when the file needs them: a file of progress reports names no agency.

    @property
    def agencies(self) -> dict[str, list[Agency]]:
        if self._agencies is None:
            self._agencies = _by_folded(Agency.objects.order_by("name", "pk"), "name", "short_name")
        return self._agencies

    @property
    def provinces(self) -> dict[str, list[Province]]:
        if self._provinces is None:
            self._provinces = _by_folded(Province.objects.order_by("name", "pk"), "name")
        return self._provinces

    def load_persons(self, names) -> None:
        texts = {read_text(name) for name in names if not is_blank(name)}
        people = Person.objects.filter(full_name__in=texts).select_related("agency").order_by("full_name", "pk")
        self.persons = _by_folded(people, "full_name")

    def load_tasks(self, codes, *, visible_only: bool = True) -> None:
        """The tasks of the codes the file names, among those the user sees (with their programme and places)."""
        texts = {read_text(code) for code in codes if not is_blank(code)}
        tasks = Task.objects.visible_to(self.user) if visible_only else Task.objects.all()
        tasks = tasks.filter(code__in=texts).select_related("programme", "lead_agency").prefetch_related("fundings")
        for task in tasks:
            self.tasks[task.programme_id, task.code] = task
            self.tasks_by_code[task.code].append(task)

    # Each lookup returns the record, or raises CellError saying what is wrong with the name.

    def programme(self, raw) -> Programme | None:
        if is_blank(raw):
            return None
        return _one(self.programmes.get(fold(read_text(raw)), []), raw, _("no programme you can see has this code"))

    def agency(self, raw) -> Agency | None:
        if is_blank(raw):
            return None
        return _one(self.agencies.get(fold(read_text(raw)), []), raw, _("no agency has this name"))

    def person(self, raw) -> Person | None:
        if is_blank(raw):
            return None
        return _one(
            self.persons.get(fold(read_text(raw)), []),
            raw,
            _("nobody of this name is recorded; add the person first (Administration → People)"),
        )

    def province(self, name: str) -> Province:
        return _one(self.provinces.get(fold(name), []), name, _("no province has this name"))

    def task(self, programme: Programme | None, raw_code) -> Task:
        code = read_text(raw_code)
        if programme is not None:
            task = self.tasks.get((programme.pk, code))
            if task is None:
                raise CellError(
                    _("the programme %(programme)s has no task %(code)s that you can see")
                    % {"programme": programme.code, "code": code}
                )
            return task
        tasks = self.tasks_by_code.get(code, [])
        if len(tasks) > 1:
            raise CellError(
                _("the code %(code)s is used in several programmes (%(programmes)s): add the programme column")
                % {"code": code, "programmes": ", ".join(task.programme.code for task in tasks)}
            )
        if not tasks:
            raise CellError(_("no task that you can see has the code %(code)s") % {"code": code})
        return tasks[0]


def _one(records: list, raw, not_found: str):
    if not records:
        raise CellError(f"'{read_text(raw)}': {not_found}")
    if len(records) > 1:
        raise CellError(
            _("'%(value)s' fits several records (%(records)s); write the full name")
            % {"value": read_text(raw), "records": "; ".join(_described(record) for record in records[:5])}
        )
    return records[0]


def _described(record) -> str:
    if isinstance(record, Person) and record.agency_id:
        return f"{record.full_name} – {record.agency.name}"
    if isinstance(record, Programme):
        return record.code
    if isinstance(record, Agency | Province) and getattr(record, "valid_to", None):
        return "{} ({})".format(record.name, record.valid_to.strftime("%d/%m/%Y"))
    return str(record)
