"""The four kinds of spreadsheet a user imports: tasks, funding, outputs and progress reports.

Each kind says which columns its template has (from the model's fields), how a row finds the record it
describes (by its code: a task by programme and code, a funding row by task, source and year, an output
by task, kind and name, a progress report by task and date), what the record holds now in the same
terms, who may write it, and how to write it: through the services the forms use, so that every rule of
the forms holds for imported rows too.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coop.columns import field_header
from coop.formatting import format_vnd
from coop.roles import sees_every_programme
from coop.text import fold
from imports.cells import CellError, read_money, read_text
from imports.choices import ImportKind
from imports.columns import CHOICE, DATE, MONEY, WHOLE, Column, choice_words
from programmes.choices import OutputKind
from tasks import services
from tasks.choices import FundingSource, ReportStatus, TaskField, TaskLevel, TaskStatus
from tasks.models import Funding, Output, ProgressReport, Task
from tasks.rules import TASK_STATUSES_TAKING_PROGRESS

# Between the items of one cell: the places of a task, the funding rows of a report.
LIST_SEPARATOR = ";"


def _programme_column(**kwargs) -> Column:
    return Column(
        name="programme",
        header=field_header(Task, "programme"),
        read=lambda raw, refs: refs.programme(raw),
        show=lambda programme: programme.code,
        listed=lambda refs: refs.programme_codes,
        example="CT-TB-2012",
        width=16,
        help_text=gettext_lazy("The programme's code (or its full title)."),
        **kwargs,
    )


def _task_code_column(**kwargs) -> Column:
    return Column(
        name="task",
        header=gettext_lazy("Task code"),
        aliases=(field_header(Output, "task"), field_header(ProgressReport, "task")),
        required=True,
        show=lambda task: task.code if isinstance(task, Task) else str(task),
        example="TB-01",
        width=12,
        help_text=gettext_lazy("The task's code within its programme."),
        **kwargs,
    )


def _places_read(raw, refs) -> tuple:
    """ "Thái Bình (xã Vũ Hội); Nam Định" → ((Thái Bình, "xã Vũ Hội"), (Nam Định, "")), in the file's order."""
    places = []
    for part in read_text(raw).split(LIST_SEPARATOR):
        part = part.strip()
        if not part:
            continue
        name, commune = part, ""
        if part.endswith(")") and "(" in part:
            name, commune = part[:-1].split("(", 1)
        province = refs.province(name.strip())
        if any(province == existing for existing, _commune in places):
            raise CellError(_("the province %(name)s is named twice") % {"name": province.name})
        places.append((province, commune.strip()))
    return tuple(places)


def _places_shown(places) -> str:
    return "; ".join(f"{province.name} ({commune})" if commune else province.name for province, commune in places)


def _disbursements_read(raw, refs) -> tuple:
    """ "Ngân sách trung ương (Bộ hỗ trợ) 2014: 1.200.000.000; Vốn đối ứng 2014: 0" → ((source, year, amount), …)."""
    sources = choice_words(FundingSource)
    amounts = []
    for part in read_text(raw).split(LIST_SEPARATOR):
        part = part.strip()
        if not part:
            continue
        if ":" not in part:
            raise CellError(_("write each funding row as “source year: amount”, for example “Vốn đối ứng 2014: 0”"))
        row, amount = part.rsplit(":", 1)
        words = row.strip().rsplit(" ", 1)
        if len(words) != 2 or not words[1].isdigit():
            raise CellError(_("'%(row)s' does not end with the year of the funding row") % {"row": row.strip()})
        source = sources.get(fold(words[0]))
        if source is None:
            raise CellError(_("'%(source)s' is not a funding source") % {"source": words[0]})
        amounts.append((source, int(words[1]), read_money(amount.strip())))
    return tuple(sorted(amounts))


def _disbursements_shown(amounts) -> str:
    labels = dict(FundingSource.choices)
    return "; ".join(
        "{} {}: {}".format(labels[source], year, f"{int(amount):,}".replace(",", "."))
        for source, year, amount in amounts
    )


class Kind:
    """What every kind provides; the checker (imports/checking.py) does the rest the same way for all."""

    kind: str
    model = None
    sheet_title = ""
    # Model permissions the user needs to import this kind at all (the rows are checked one by one besides).
    permissions: tuple[str, ...] = ()
    key_columns: tuple[str, ...] = ()
    # Columns a row needs to create a record (updating needs only the key).
    create_columns: tuple[str, ...] = ()

    def columns(self) -> list[Column]:
        """The template's columns, in order; made once (their headers are translated when shown)."""
        if not hasattr(self, "_columns"):
            self._columns = self.build_columns()
        return self._columns

    def column(self, name: str) -> Column:
        return next(column for column in self.columns() if column.name == name)

    def build_columns(self) -> list[Column]:
        raise NotImplementedError

    def records(self, user):
        """The records of this kind the user sees, read as `current` needs them (the data download)."""
        raise NotImplementedError

    def prepare(self, refs, raw_by_column: dict[str, list]) -> None:
        """Load what the rows refer to, from all their raw cells at once."""

    def key(self, values: dict, refs) -> tuple:
        raise NotImplementedError

    def key_label(self, values: dict) -> str:
        raise NotImplementedError

    def existing(self, keys: list[tuple]) -> dict[tuple, object]:
        raise NotImplementedError

    def current(self, instance) -> dict:
        """What the record holds, by column name, in the values the columns read."""
        raise NotImplementedError

    def refusal(self, user, values: dict, instance) -> str | None:
        """Why the user may not write this row, or None."""
        return None

    def validate(self, values: dict, instance) -> None:
        """Raise ValidationError if the record would break a rule of the model."""

    def apply(self, planned_rows, *, user, submit: bool) -> None:
        """Write the rows to create or update, in the order of the file."""
        raise NotImplementedError

    def may_import(self, user) -> bool:
        return all(user.has_perm(permission) for permission in self.permissions)


def check_rules(candidate, *, exclude=()) -> None:
    """The model's validation of a record a row would write, without asking the database again whether the
    records it names exist (`References` read them) or whether its key is unique (its key found it or nothing)."""
    related = [
        field.name
        for field in type(candidate)._meta.concrete_fields
        if field.is_relation and getattr(candidate, field.attname) is not None
    ]
    candidate.full_clean(exclude=[*exclude, *related], validate_unique=False)


def stored_copy(instance):
    """A copy of a stored record to try changes on: its constraints are checked as of the stored row (not as of a
    new one, which would clash with the row itself)."""
    model = type(instance)
    copy = model(**{field.attname: getattr(instance, field.attname) for field in model._meta.concrete_fields})
    copy._state.adding = False
    copy._state.db = instance._state.db
    return copy


# What a task row names besides itself, read with the task.
TASK_RELATIONS = ("programme", "lead_agency", "investigator", "funded_through")


class TaskKind(Kind):
    kind = ImportKind.TASKS
    model = Task
    sheet_title = gettext_lazy("S&T tasks")
    permissions = ("tasks.add_task", "tasks.change_task")
    key_columns = ("programme", "code")
    create_columns = ("title", "field", "level", "lead_agency", "start_on", "end_on")
    fields = (
        "title",
        "field",
        "level",
        "lead_agency",
        "investigator",
        "funded_through",
        "location",
        "start_on",
        "end_on",
        "status",
    )

    def build_columns(self):
        return [
            _programme_column(required=True),
            Column(
                name="code", header=field_header(Task, "code"), required=True, max_length=40, example="TB-01", width=12
            ),
            Column(
                name="title",
                header=field_header(Task, "title"),
                max_length=500,
                width=50,
                example="Ứng dụng tiến bộ kỹ thuật xây dựng mô hình sản xuất giống lúa TBR225",
            ),
            Column(
                name="field",
                header=field_header(Task, "field"),
                cell_type=CHOICE,
                choices=TaskField,
                example=TaskField.AGRICULTURE.label,
            ),
            Column(
                name="level",
                header=field_header(Task, "level"),
                cell_type=CHOICE,
                choices=TaskLevel,
                example=TaskLevel.PROVINCE.label,
            ),
            Column(
                name="lead_agency",
                header=field_header(Task, "lead_agency"),
                read=lambda raw, refs: refs.agency(raw),
                show=lambda agency: agency.name,
                listed=lambda refs: sorted({agency.name for agencies in refs.agencies.values() for agency in agencies}),
                example="Sở KH&CN Thái Bình",
                width=30,
            ),
            Column(
                name="investigator",
                header=field_header(Task, "investigator"),
                read=lambda raw, refs: refs.person(raw),
                show=lambda person: person.full_name,
                example="Nguyễn Văn A",
                width=22,
            ),
            Column(
                name="funded_through",
                header=field_header(Task, "funded_through"),
                read=lambda raw, refs: refs.programme(raw),
                show=lambda programme: programme.code,
                listed=lambda refs: refs.programme_codes,
                width=16,
            ),
            Column(name="location", header=field_header(Task, "location"), max_length=255, width=24),
            Column(
                name="places",
                header=gettext_lazy("Place of implementation"),
                read=_places_read,
                show=_places_shown,
                example="Thái Bình (xã Vũ Hội); Nam Định",
                width=30,
                help_text=gettext_lazy("Provinces separated by “;”, each with its communes in brackets if known."),
            ),
            Column(name="start_on", header=field_header(Task, "start_on"), cell_type=DATE, example="01/01/2013"),
            Column(name="end_on", header=field_header(Task, "end_on"), cell_type=DATE, example="31/12/2015"),
            Column(
                name="status",
                header=field_header(Task, "status"),
                cell_type=CHOICE,
                choices=TaskStatus,
                keep_when_blank=True,
                example=TaskStatus.IN_PROGRESS.label,
            ),
        ]

    def records(self, user):
        return (
            Task.objects.visible_to(user)
            .select_related(*TASK_RELATIONS)
            .prefetch_related("places__province")
            .order_by("programme__code", "code", "pk")
        )

    def prepare(self, refs, raw_by_column):
        refs.load_tasks(raw_by_column.get("code", []), visible_only=False)
        refs.load_persons(raw_by_column.get("investigator", []))

    def key(self, values, refs):
        return (values["programme"].pk, values["code"])

    def key_label(self, values):
        return "{} ({})".format(values["code"], values["programme"].code)

    def existing(self, keys):
        found = {}
        for programme_id in {programme_id for programme_id, _code in keys}:
            codes = [code for pk, code in keys if pk == programme_id]
            tasks = Task.objects.filter(programme_id=programme_id, code__in=codes)
            for task in tasks.select_related(*TASK_RELATIONS).prefetch_related("places__province"):
                found[programme_id, task.code] = task
        return found

    def current(self, task):
        values = {name: getattr(task, name) for name in self.fields}
        values.update(programme=task.programme, code=task.code)
        values["places"] = tuple((place.province, place.commune) for place in task.places.all())
        return values

    def refusal(self, user, values, task):
        permission = "tasks.change_task" if task is not None else "tasks.add_task"
        if not user.has_perm(permission):
            return _("You may not create or change tasks.")
        return None

    def _task(self, values, task):
        task = task if task is not None else Task(programme=values["programme"], code=values["code"])
        for name in self.fields:
            if name in values:
                setattr(task, name, values[name] if values[name] is not None or name != "location" else "")
        if task.status is None:
            task.status = TaskStatus.PROPOSED
        return task

    def validate(self, values, task):
        check_rules(self._task(values, stored_copy(task) if task else None), exclude=["search_text"])

    def apply(self, planned_rows, *, user, submit):
        for row in planned_rows:
            task = services.task_save(task=self._task(row.values, row.instance), by=user)
            if "places" in row.values:
                services.task_places_set(task=task, places=row.values["places"])


class RowOfTaskKind(Kind):
    """A kind whose rows belong to a task, named by its code (and its programme's, where codes repeat)."""

    def prepare(self, refs, raw_by_column):
        refs.load_tasks(raw_by_column.get("task", []))

    def task_of(self, values, refs) -> Task:
        """The row's task, among those the user sees; kept in the row's values in place of its code."""
        values["task"] = refs.task(values.get("programme"), values["task"])
        return values["task"]


class FundingKind(RowOfTaskKind):
    kind = ImportKind.FUNDING
    model = Funding
    sheet_title = gettext_lazy("Funding")
    permissions = ("tasks.add_funding", "tasks.change_funding")
    key_columns = ("task", "source", "year")
    create_columns = ("allocated",)

    def build_columns(self):
        return [
            _programme_column(),
            _task_code_column(),
            Column(
                name="source",
                header=field_header(Funding, "source"),
                cell_type=CHOICE,
                choices=FundingSource,
                required=True,
                example=FundingSource.MINISTRY.label,
                width=30,
            ),
            Column(
                name="year",
                header=field_header(Funding, "year"),
                cell_type=WHOLE,
                whole_range=(1990, 2100),
                required=True,
                example=2014,
                width=8,
            ),
            Column(name="allocated", header=field_header(Funding, "allocated"), cell_type=MONEY, example=1200000000),
            Column(name="disbursed", header=field_header(Funding, "disbursed"), cell_type=MONEY, example=800000000),
        ]

    def records(self, user):
        return (
            Funding.objects.filter(task__in=Task.objects.visible_to(user).values("pk"))
            .select_related("task__programme")
            .order_by("task__programme__code", "task__code", "year", "source", "pk")
        )

    def key(self, values, refs):
        task = self.task_of(values, refs)
        return (task.pk, values["source"], values["year"])

    def key_label(self, values):
        return "{} ({}) – {} {}".format(
            values["task"].code, values["task"].programme.code, FundingSource(values["source"]).label, values["year"]
        )

    def existing(self, keys):
        task_ids = {task_id for task_id, _source, _year in keys}
        rows = Funding.objects.filter(task_id__in=task_ids).select_related("task__programme")
        return {(row.task_id, row.source, row.year): row for row in rows if (row.task_id, row.source, row.year) in keys}

    def current(self, funding):
        return {
            "programme": funding.task.programme,
            "task": funding.task,
            "source": funding.source,
            "year": funding.year,
            "allocated": funding.allocated,
            "disbursed": funding.disbursed,
        }

    def refusal(self, user, values, funding):
        permission = "tasks.change_funding" if funding is not None else "tasks.add_funding"
        if not user.has_perm(permission):
            return _("You may not create or change funding rows.")
        return None

    def _funding(self, values, funding):
        funding = funding or Funding(task=values["task"], source=values["source"], year=values["year"])
        for name in ("allocated", "disbursed"):
            if name in values:
                setattr(funding, name, values[name] if values[name] is not None else Decimal(0))
        return funding

    def validate(self, values, funding):
        check_rules(self._funding(values, stored_copy(funding) if funding else None))

    def apply(self, planned_rows, *, user, submit):
        services.funding_save_many(saved=[self._funding(row.values, row.instance) for row in planned_rows])


class OutputKindImport(RowOfTaskKind):
    kind = ImportKind.OUTPUTS
    model = Output
    sheet_title = gettext_lazy("Outputs")
    permissions = ("tasks.add_output",)
    key_columns = ("task", "kind", "name")
    create_columns = ("quantity", "unit", "achieved_on")
    fields = ("quantity", "unit", "achieved_on", "location", "description", "evidence_number", "evidence_date")

    def build_columns(self):
        return [
            _programme_column(),
            _task_code_column(),
            Column(
                name="kind",
                header=field_header(Output, "kind"),
                cell_type=CHOICE,
                choices=OutputKind,
                required=True,
                example=OutputKind.MODEL.label,
                width=24,
            ),
            Column(
                name="name",
                header=field_header(Output, "name"),
                required=True,
                max_length=255,
                width=40,
                example="Mô hình sản xuất giống lúa TBR225",
            ),
            Column(
                name="quantity",
                header=field_header(Output, "quantity"),
                cell_type=WHOLE,
                whole_range=(1, None),
                example=12,
                width=10,
            ),
            Column(
                name="unit",
                header=field_header(Output, "unit"),
                max_length=50,
                example="mô hình",
                width=12,
                listed=lambda refs: sorted(set(Output.objects.values_list("unit", flat=True).distinct()[:200])),
            ),
            Column(
                name="achieved_on", header=field_header(Output, "achieved_on"), cell_type=DATE, example="30/06/2015"
            ),
            Column(name="location", header=field_header(Output, "location"), max_length=255, width=24),
            Column(name="description", header=field_header(Output, "description"), width=40),
            Column(name="evidence_number", header=field_header(Output, "evidence_number"), max_length=100, width=20),
            Column(name="evidence_date", header=field_header(Output, "evidence_date"), cell_type=DATE),
        ]

    def records(self, user):
        return (
            Output.objects.visible_to(user)
            .select_related("task__programme")
            .order_by("task__programme__code", "task__code", "kind", "name", "pk")
        )

    def key(self, values, refs):
        task = self.task_of(values, refs)
        return (task.pk, values["kind"], values["name"].casefold())

    def key_label(self, values):
        return "{} ({}) – {}".format(values["name"], values["task"].code, OutputKind(values["kind"]).label)

    def existing(self, keys):
        task_ids = {task_id for task_id, _kind, _name in keys}
        found = {}
        for output in Output.objects.filter(task_id__in=task_ids).select_related("task__programme").order_by("pk"):
            found.setdefault((output.task_id, output.kind, output.name.casefold()), output)
        return {key: output for key, output in found.items() if key in keys}

    def current(self, output):
        values = {name: getattr(output, name) for name in self.fields}
        values.update(programme=output.task.programme, task=output.task, kind=output.kind, name=output.name)
        return values

    def refusal(self, user, values, output):
        if output is None:
            allowed = user.has_perm("tasks.add_output", values["task"])
        else:
            allowed = user.has_perm("tasks.change_output", output)
            if not allowed and user.has_perm("tasks.add_output", values["task"]):
                return _("This output is “%(status)s” and can no longer be changed by the province.") % {
                    "status": output.get_status_display()
                }
        return None if allowed else _("You may not record outputs of this task.")

    def _data(self, values, output) -> dict:
        data = {name: getattr(output, name) for name in ("kind", "name", *self.fields)} if output else {}
        data.update({name: values[name] for name in ("kind", "name", *self.fields) if name in values})
        for name in ("location", "description", "evidence_number", "unit"):
            data[name] = data.get(name) or ""
        return data

    def validate(self, values, output):
        check_rules(Output(task=values["task"], **self._data(values, output)), exclude=["search_text", "evidence_file"])

    def apply(self, planned_rows, *, user, submit):
        for row in planned_rows:
            data = self._data(row.values, row.instance)
            if row.instance is None:
                services.output_record(task=row.values["task"], author=user, data=data, submit=submit)
            else:
                services.output_update(
                    output=row.instance, author=user, data=data, opened_version=row.instance.version, submit=submit
                )


class ProgressKind(RowOfTaskKind):
    kind = ImportKind.PROGRESS
    model = ProgressReport
    sheet_title = gettext_lazy("Progress reports")
    key_columns = ("task", "as_of")
    create_columns = ("percent_complete", "summary")
    fields = ("percent_complete", "summary", "problems", "next_steps")

    def build_columns(self):
        return [
            _programme_column(),
            _task_code_column(),
            Column(
                name="as_of",
                header=field_header(ProgressReport, "as_of"),
                cell_type=DATE,
                required=True,
                example="31/05/2020",
            ),
            Column(
                name="percent_complete",
                header=field_header(ProgressReport, "percent_complete"),
                cell_type=WHOLE,
                whole_range=(0, 100),
                example=60,
                width=10,
            ),
            Column(
                name="summary",
                header=field_header(ProgressReport, "summary"),
                width=40,
                example="Đã xây dựng 3 mô hình trình diễn tại xã Vũ Hội",
            ),
            Column(name="problems", header=field_header(ProgressReport, "problems"), width=30),
            Column(name="next_steps", header=field_header(ProgressReport, "next_steps"), width=30),
            Column(
                name="disbursements",
                header=gettext_lazy("Disbursed to date by funding row"),
                read=_disbursements_read,
                show=_disbursements_shown,
                example=f"{FundingSource.MINISTRY.label} 2020: 500.000.000",
                width=40,
                help_text=gettext_lazy("Each funding row as “source year: amount”, rows separated by “;”."),
            ),
        ]

    def records(self, user):
        return (
            ProgressReport.objects.visible_to(user)
            .select_related("task__programme")
            .prefetch_related("disbursements__funding")
            .order_by("task__programme__code", "task__code", "as_of", "pk")
        )

    def key(self, values, refs):
        task = self.task_of(values, refs)
        return (task.pk, values["as_of"])

    def key_label(self, values):
        return "{} ({}) – {}".format(
            values["task"].code, values["task"].programme.code, values["as_of"].strftime("%d/%m/%Y")
        )

    def existing(self, keys):
        task_ids = {task_id for task_id, _as_of in keys}
        reports = (
            ProgressReport.objects.filter(task_id__in=task_ids)
            .select_related("task__programme")
            .prefetch_related("disbursements__funding")
            .order_by("pk")
        )
        found = {}
        for report in reports:
            found.setdefault((report.task_id, report.as_of), report)
        return {key: report for key, report in found.items() if key in keys}

    def current(self, report):
        values = {name: getattr(report, name) for name in self.fields}
        values.update(programme=report.task.programme, task=report.task, as_of=report.as_of)
        values["disbursements"] = tuple(
            sorted((row.funding.source, row.funding.year, row.disbursed_to_date) for row in report.disbursements.all())
        )
        return values

    def may_import(self, user):
        # Provinces report their progress; the Ministry may enter what reached it on paper or by e-mail.
        return user.has_perm("tasks.add_progressreport") or user.has_perm("tasks.review_progressreport")

    def refusal(self, user, values, report):
        enters_for_provinces = user.has_perm("tasks.review_progressreport") and sees_every_programme(user)
        if report is None:
            task = values["task"]
            if user.has_perm("tasks.add_progressreport", task) or (
                enters_for_provinces and task.status in TASK_STATUSES_TAKING_PROGRESS
            ):
                return None
            return _("This task takes no progress report from you: it is outside your scope or not being carried out.")
        if user.has_perm("tasks.change_progressreport", report) or (
            enters_for_provinces and report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
        ):
            return None
        return _("This report is “%(status)s” and can no longer be changed.") % {"status": report.get_status_display()}

    def _data(self, values, report) -> dict:
        data = {name: getattr(report, name) for name in self.fields} if report else {}
        data.update({name: values[name] for name in self.fields if name in values})
        for name in ("summary", "problems", "next_steps"):
            data[name] = data.get(name) or ""
        data["as_of"] = values["as_of"]
        data["period"] = report.period if report else None
        task = values["task"]
        fundings = {(row.source, row.year): row for row in task.fundings.all()}
        amounts = values.get("disbursements")
        if amounts is None and report is not None:
            amounts = self.current(report)["disbursements"]
        disbursements = {}
        for source, year, amount in amounts or ():
            funding = fundings.get((source, year))
            if funding is None:
                raise ValidationError(
                    _("The task has no funding row %(source)s %(year)s.")
                    % {"source": FundingSource(source).label, "year": year}
                )
            disbursements[funding.pk] = amount
        data["disbursements"] = disbursements
        return data

    def validate(self, values, report):
        data = self._data(values, report)
        candidate = ProgressReport(task=values["task"], **{name: data[name] for name in (*self.fields, "as_of")})
        check_rules(candidate, exclude=["period", "version"])
        fundings = {row.pk: row for row in values["task"].fundings.all()}
        for pk, amount in data["disbursements"].items():
            if amount is not None and amount > fundings[pk].allocated:
                raise ValidationError(
                    _("%(row)s: more than the %(allocated)s allocated to this row.")
                    % {
                        "row": f"{fundings[pk].get_source_display()} {fundings[pk].year}",
                        "allocated": format_vnd(fundings[pk].allocated),
                    }
                )

    def apply(self, planned_rows, *, user, submit):
        for row in planned_rows:
            services.progress_report_save(
                task=row.values["task"],
                author=user,
                data=self._data(row.values, row.instance),
                submit=submit,
                report=row.instance,
                opened_version=row.instance.version if row.instance else None,
            )


KINDS: dict[str, Kind] = {kind.kind: kind for kind in (TaskKind(), FundingKind(), OutputKindImport(), ProgressKind())}
