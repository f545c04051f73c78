"""Pages of the programmes app: programmes, agencies, meetings and recommendations.

The base views narrow every queryset to what the user may see; the detail pages read
their related lists and figures from `programmes.queries`, each scoped to the user too.
"""

from coop.views import BaseDetailView, BaseListView
from programmes import queries
from programmes.filters import AgencyFilter, MeetingFilter, ProgrammeFilter, RecommendationFilter
from programmes.models import Agency, Meeting, Programme
from programmes.tables import AgencyTable, MeetingTable, ProgrammeTable, RecommendationTable


class ProgrammeListView(BaseListView):
    queryset = queries.programme_list_rows()
    filterset_class = ProgrammeFilter
    table_class = ProgrammeTable


class ProgrammeDetailView(BaseDetailView):
    queryset = Programme.objects.select_related("previous_phase")
    template_name = "programmes/programme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme, user = self.object, self.request.user
        previous_phase, next_phases = queries.programme_phases(programme=programme, user=user)
        context.update(
            parties=queries.programme_parties(programme=programme),
            figures=queries.programme_figures(programme=programme, user=user),
            tasks=queries.programme_tasks(programme=programme, user=user),
            task_limit=queries.DETAIL_ROWS,
            meetings=queries.programme_meetings(programme=programme, user=user),
            open_recommendations=queries.programme_open_recommendations(programme=programme, user=user),
            open_recommendations_url=queries.filtered_list_url(
                "recommendation_list", programme=programme.pk, status=list(queries.PENDING_RECOMMENDATION)
            ),
            previous_phase=previous_phase,
            next_phases=next_phases,
        )
        return context


class AgencyListView(BaseListView):
    queryset = queries.agency_list_rows()
    filterset_class = AgencyFilter
    table_class = AgencyTable


class AgencyDetailView(BaseDetailView):
    queryset = Agency.objects.select_related("province", "parent", "successor")
    template_name = "programmes/agency_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = self.object
        context.update(
            children=agency.children.visible_to(self.request.user).order_by("name", "pk"),
            predecessors=agency.predecessors.visible_to(self.request.user).order_by("valid_to", "name", "pk"),
            activity=queries.agency_activity(agency=agency, user=self.request.user),
            people=agency.people.order_by("full_name", "pk"),
        )
        return context


class MeetingListView(BaseListView):
    queryset = queries.meeting_list_rows()
    filterset_class = MeetingFilter
    table_class = MeetingTable


class MeetingDetailView(BaseDetailView):
    queryset = Meeting.objects.select_related("programme")
    template_name = "programmes/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        context.update(
            attendances=queries.meeting_attendances(meeting=meeting),
            recommendations=queries.meeting_recommendations(meeting=meeting, user=self.request.user),
            attachments=meeting.attachments.order_by("title", "pk"),
        )
        return context


class RecommendationListView(BaseListView):
    queryset = queries.recommendation_list_rows()
    filterset_class = RecommendationFilter
    table_class = RecommendationTable
