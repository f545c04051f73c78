"""Pages of the tasks app: the task and output lists (filtered, sorted, exported) and their detail pages."""

from coop.views import BaseDetailView, BaseListView
from tasks.filters import OutputFilter, TaskFilter
from tasks.models import Output, Task
from tasks.queries import (
    funding_grid,
    latest_approved_report,
    output_rows,
    output_totals,
    task_progress_reports,
    task_rows,
    task_totals,
    visible_programme_ids,
)
from tasks.tables import OutputTable, TaskTable


class TaskListView(BaseListView):
    queryset = task_rows()
    filterset_class = TaskFilter
    table_class = TaskTable
    template_name = "tasks/task_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Sums over every filtered row, not only the page on screen; the paginator has counted them already.
        context["totals"] = task_totals(queryset=self.object_list, count=context["table"].paginator.count)
        return context


class TaskDetailView(BaseDetailView):
    queryset = Task.objects.select_related(
        "programme",
        "lead_agency__province",
        "investigator",
        "funded_through",
    )

    def get_context_data(self, **kwargs):
        task = self.object
        user = self.request.user
        reports = list(task_progress_reports(task=task))
        context = super().get_context_data(
            funding=funding_grid(task=task),
            progress_reports=reports,
            percent_source=latest_approved_report(reports),
            outputs=Output.objects.visible_to(user).filter(task=task).order_by("achieved_on", "kind", "name", "pk"),
            linked_programmes=visible_programme_ids(user=user, ids=[task.programme_id, task.funded_through_id]),
            **kwargs,
        )
        return context


class OutputListView(BaseListView):
    queryset = output_rows()
    filterset_class = OutputFilter
    table_class = OutputTable
    template_name = "tasks/output_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = output_totals(queryset=self.object_list, count=context["table"].paginator.count)
        return context


class OutputDetailView(BaseDetailView):
    queryset = output_rows().select_related("task__lead_agency")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            linked_programmes=visible_programme_ids(user=self.request.user, ids=[self.object.task.programme_id]),
            **kwargs,
        )
        # Outputs › the task › the output, so that the way back to the task is one click.
        task = self.object.task
        context["breadcrumbs"].insert(1, (task.get_absolute_url(), task.code))
        return context
