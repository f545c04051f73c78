"""Pages of the programmes app: the lists of programmes, agencies, meetings and recommendations, and meetings.

The base views narrow every queryset to what the user may see; the detail pages read their
related lists from `programmes.queries`, each scoped to the user too. The pages of a programme
and of an agency show the figures of their tasks, which this app may not read: they are drawn
by `reports.views` (the layer that reads every app).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from coop.history import HistorySource
from coop.tables import related_table
from coop.views import (
    BaseDetailView,
    BaseListView,
    ObjectPermissionMixin,
    SaveWithServiceMixin,
    breadcrumbs,
    visible_or_404,
)
from programmes import queries, services
from programmes.filters import AgencyFilter, MeetingFilter, RecommendationFilter
from programmes.forms import AttachmentForm, AttendanceFormSet, FollowUpForm, MeetingForm, RecommendationFormSet
from programmes.models import Attachment, Attendance, Meeting, Programme, Recommendation
from programmes.tables import AgencyTable, MeetingTable, RecommendationTable


class AgencyListView(BaseListView):
    queryset = queries.agency_list_rows()
    filterset_class = AgencyFilter
    table_class = AgencyTable


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
        recommendations = list(
            queries.meeting_recommendations(meeting=meeting, user=self.request.user, today=timezone.localdate())
        )
        context.update(
            attendances=queries.meeting_attendances(meeting=meeting),
            recommendations=related_table(
                RecommendationTable,
                recommendations,
                columns=("text", "raised_by", "addressed_to", "due_on", "status", "follow_up"),
                html_id="recommendations",
                follow_up_by=self.request.user,
                follow_up_history=queries.follow_up_history(recommendations),
            ),
            attachments=meeting.attachments.order_by("title", "pk"),
        )
        return context

    def history_sources(self):
        meeting_id = self.object.pk
        return [
            *super().history_sources(),
            HistorySource(Attendance.history.filter(meeting_id=meeting_id)),
            HistorySource(Recommendation.history.filter(meeting_id=meeting_id), describe=lambda r: r.text[:60]),
        ]


class RecommendationListView(BaseListView):
    queryset = queries.recommendation_list_rows()
    filterset_class = RecommendationFilter
    table_class = RecommendationTable


class MeetingEditView(LoginRequiredMixin, SaveWithServiceMixin, TemplateView):
    """Ministry staff record a meeting: its facts, who attended, what was concluded and recommended.

    Without a pk it creates one (`?programme=` preselects the programme). The meeting and
    its rows are saved together or not at all.
    """

    template_name = "programmes/meeting_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.meeting = None
        if "pk" in kwargs:
            self.meeting = visible_or_404(Meeting.objects.select_related("programme"), request.user, pk=kwargs["pk"])
            allowed = request.user.has_perm("programmes.change_meeting", self.meeting)
        else:
            allowed = request.user.has_perm("programmes.add_meeting")
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def programme(self, form) -> Programme | None:
        if self.meeting is not None:
            return self.meeting.programme
        chosen = form["programme"].value()
        try:
            return form.fields["programme"].queryset.filter(pk=int(chosen)).first()
        except (TypeError, ValueError):
            return None

    def forms(self, data=None):
        initial = {}
        if self.meeting is None and self.request.GET.get("programme", "").isdigit():
            initial["programme"] = self.request.GET["programme"]
        form = MeetingForm(data, instance=self.meeting, initial=initial, user=self.request.user)
        programme = self.programme(form)
        attendance = AttendanceFormSet(
            data, instance=self.meeting or Meeting(), prefix="attendance", programme=programme
        )
        recommendations = RecommendationFormSet(
            data, instance=self.meeting or Meeting(), prefix="recommendations", programme=programme
        )
        return form, attendance, recommendations

    def get(self, request, *args, **kwargs):
        form, attendance, recommendations = self.forms()
        return self.render_to_response(
            self.get_context_data(form=form, attendance=attendance, recommendations=recommendations)
        )

    def post(self, request, *args, **kwargs):
        form, attendance, recommendations = self.forms(request.POST)
        if form.is_valid() and attendance.is_valid() and recommendations.is_valid():
            meeting = self.save_or_show_errors(
                form,
                lambda: services.meeting_save(
                    form=form,
                    attendance=attendance,
                    recommendations=recommendations,
                    opened_version=form.cleaned_data.get("opened_version"),
                ),
            )
            if meeting is not None:
                messages.success(request, _("The meeting was saved."))
                return redirect(meeting)
        context = self.get_context_data(form=form, attendance=attendance, recommendations=recommendations)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        title = _("Edit the meeting") if self.meeting else _("New meeting")
        crumbs = breadcrumbs(Meeting, self.meeting, title) if self.meeting else breadcrumbs(Meeting, title)
        return super().get_context_data(page_title=title, breadcrumbs=crumbs, meeting=self.meeting, **kwargs)


class RecommendationFollowUpView(ObjectPermissionMixin, SaveWithServiceMixin, FormView):
    """The agency a recommendation is addressed to says what it has done about it."""

    permission_required = "programmes.follow_up_recommendation"
    form_class = FollowUpForm
    template_name = "programmes/recommendation_follow_up.html"

    @cached_property
    def recommendation(self) -> Recommendation:
        recommendations = Recommendation.objects.select_related("meeting", "raised_by", "addressed_to")
        recommendations = queries.with_overdue(recommendations, today=timezone.localdate())
        return visible_or_404(recommendations, self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.recommendation

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.recommendation}

    def get_context_data(self, **kwargs):
        recommendation = self.recommendation
        title = _("Follow-up of the recommendation")
        crumbs = breadcrumbs(Meeting, recommendation.meeting, title)
        history = queries.follow_up_history([recommendation]).get(recommendation.pk, [])
        return super().get_context_data(
            recommendation=recommendation,
            follow_up_history=history,
            page_title=title,
            breadcrumbs=crumbs,
            **kwargs,
        )

    def form_valid(self, form):
        saved = self.save_or_show_errors(
            form,
            lambda: services.recommendation_follow_up(
                recommendation=self.recommendation,
                status=form.cleaned_data["status"],
                follow_up=form.cleaned_data["follow_up"],
                opened_version=form.cleaned_data.get("opened_version"),
            ),
        )
        if saved is None:
            return self.form_invalid(form)
        messages.success(self.request, _("The follow-up was recorded."))
        return redirect(f"{saved.meeting.get_absolute_url()}#recommendation-{saved.pk}")


class MeetingAttachmentMixin(ObjectPermissionMixin):
    """Views of a meeting's documents: the meeting is found in the user's scope (else 404)."""

    permission_required = "programmes.change_meeting"

    @cached_property
    def meeting(self) -> Meeting:
        return visible_or_404(
            Meeting.objects.select_related("programme"), self.request.user, pk=self.kwargs["meeting_pk"]
        )

    def get_permission_object(self):
        return self.meeting


class AttachmentAddView(MeetingAttachmentMixin, SaveWithServiceMixin, FormView):
    """Attach a document (minutes, slides, signed conclusions) to a meeting."""

    form_class = AttachmentForm
    template_name = "programmes/attachment_form.html"

    def get_context_data(self, **kwargs):
        title = _("Attach a document")
        return super().get_context_data(
            meeting=self.meeting, page_title=title, breadcrumbs=breadcrumbs(Meeting, self.meeting, title), **kwargs
        )

    def form_valid(self, form):
        saved = self.save_or_show_errors(
            form,
            lambda: services.attachment_add(
                meeting=self.meeting, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
            ),
        )
        if saved is None:
            return self.form_invalid(form)
        messages.success(self.request, _("The document was attached to the meeting."))
        return redirect(f"{self.meeting.get_absolute_url()}#attachments-heading")


class AttachmentDeleteView(MeetingAttachmentMixin, TemplateView):
    """Remove a document from a meeting, after a confirmation."""

    template_name = "programmes/attachment_confirm_delete.html"

    def attachment(self) -> Attachment:
        return get_object_or_404(self.meeting.attachments, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        title = _("Remove a document")
        return super().get_context_data(
            meeting=self.meeting,
            attachment=self.attachment(),
            page_title=title,
            breadcrumbs=breadcrumbs(Meeting, self.meeting, title),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        attachment = self.attachment()
        services.attachment_delete(attachment=attachment)
        messages.success(request, _("The document “%(title)s” was removed.") % {"title": attachment.title})
        return redirect(f"{self.meeting.get_absolute_url()}#attachments-heading")


class ProgrammePublishView(ObjectPermissionMixin, View):
    """Ministry staff show a programme on the public pages and in the open data (`published=1`), or take it back
    (`published=0`): a POST from the programme's page, which it returns to."""

    permission_required = "programmes.change_programme"

    @cached_property
    def programme(self) -> Programme:
        return visible_or_404(Programme.objects.all(), self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.programme

    def post(self, request, pk: int):
        publish = request.POST.get("published") == "1"
        try:
            services.programme_publish(programme=self.programme, published=publish)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            if publish:
                messages.success(
                    request,
                    _(
                        "The programme is published: anyone may read its public page, and the next open data "
                        "download includes it."
                    ),
                )
            else:
                messages.success(
                    request,
                    _(
                        "The programme is no longer published: its public page is gone, and the next open data "
                        "download leaves it out."
                    ),
                )
        return redirect(self.programme.get_absolute_url() + "#publication")


class AttachmentDownloadView(LoginRequiredMixin, View):
    """A meeting's document, to whoever may see the meeting: never from a public address.

    Sent as a download under the name it was uploaded with, with the type its content was
    checked to be, so that a browser never opens it as a page of this site.
    """

    def get(self, request, meeting_pk: int, pk: int):
        meetings = Meeting.objects.visible_to(request.user)
        attachment = get_object_or_404(Attachment.objects.filter(meeting__in=meetings), meeting_id=meeting_pk, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except OSError as missing:
            raise Http404(_("The file of this document is missing; ask the administrator.")) from missing
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name or attachment.file.name.rsplit("/", 1)[-1],
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
