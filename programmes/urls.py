from django.urls import path

from programmes import views

# The list of programmes and the pages of one programme and of one agency, `programme_list`, `programme_detail` and
# `agency_detail`, show their tasks' figures: they are in reports/urls.py.

urlpatterns = [
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("programmes/<int:pk>/publish/", views.ProgrammePublishView.as_view(), name="programme_publish"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/add/", views.MeetingEditView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:meeting_pk>/attachments/add/", views.AttachmentAddView.as_view(), name="attachment_add"),
    path(
        "meetings/<int:meeting_pk>/attachments/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "meetings/<int:meeting_pk>/attachments/<int:pk>/delete/",
        views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation_list"),
    path(
        "recommendations/<int:pk>/follow-up/",
        views.RecommendationFollowUpView.as_view(),
        name="recommendation_follow_up",
    ),
]
