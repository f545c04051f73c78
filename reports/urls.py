from django.urls import path

from reports import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("search/", views.SearchView.as_view(), name="search"),
    # A programme's and an agency's pages show the figures of their tasks, which only this app may read.
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("agencies/<int:pk>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("reports/", views.GeneratedReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/download/", views.GeneratedReportDownloadView.as_view(), name="report_download"),
    path("reports/<int:pk>/annex.xlsx", views.GeneratedReportAnnexView.as_view(), name="report_annex"),
    path("reports/requests/<int:pk>/", views.ReportRequestDetailView.as_view(), name="report_request_detail"),
    path("reports/requests/<int:pk>/retry/", views.ReportRequestRetryView.as_view(), name="report_request_retry"),
    path("reports/programmes/<int:pk>/review/", views.ProgrammeReviewFormView.as_view(), name="programme_review"),
    path(
        "reports/programmes/<int:pk>/review.pdf",
        views.ProgrammeReviewPdfView.as_view(),
        name="programme_review_pdf",
    ),
    path("reports/documents/<int:pk>/", views.ReviewDocumentDetailView.as_view(), name="document_detail"),
    path(
        "reports/documents/<int:pk>/preview.pdf", views.ReviewDocumentPreviewView.as_view(), name="document_preview_pdf"
    ),
    path("reports/documents/<int:pk>/draft.docx", views.ReviewDocumentDocxView.as_view(), name="document_draft_docx"),
    path(
        "reports/documents/<int:pk>/issued.pdf", views.ReviewDocumentIssuedPdfView.as_view(), name="document_issued_pdf"
    ),
    path("reports/documents/<int:pk>/submit/", views.ReviewDocumentSubmitView.as_view(), name="document_submit"),
    path("reports/documents/<int:pk>/return/", views.ReviewDocumentReturnView.as_view(), name="document_return"),
    path("reports/documents/<int:pk>/issue/", views.ReviewDocumentIssueView.as_view(), name="document_issue"),
    path("reports/documents/<int:pk>/correct/", views.ReviewDocumentCorrectView.as_view(), name="document_correct"),
    path("reports/tasks.pdf", views.TaskListPdfView.as_view(), name="task_list_pdf"),
    # Under /tasks/ beside the task's page, but drawn by this app: tasks may not import reports.
    path("tasks/<int:pk>/sheet.pdf", views.TaskSheetPdfView.as_view(), name="task_sheet_pdf"),
]
