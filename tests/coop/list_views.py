"""Every list view of the application, for tests that run over all of them."""

from programmes.views import AgencyListView, MeetingListView, ProgrammeListView, RecommendationListView
from reports.views import GeneratedReportListView
from tasks.views import OutputListView, ProgressReportListView, TaskListView

LIST_VIEWS = [
    TaskListView,
    OutputListView,
    ProgressReportListView,
    ProgrammeListView,
    AgencyListView,
    MeetingListView,
    RecommendationListView,
    GeneratedReportListView,
]
