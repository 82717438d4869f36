from django.urls import path

from certification.views import applicant, application_form, assignment, common
from certification.views import attachments as attachment_views
from certification.views import cards as card_views
from certification.views import decisions as decision_views
from certification.views import documents as document_views
from certification.views import monitoring as monitoring_views

app_name = "certification"

urlpatterns = [
    path("", common.DashboardView.as_view(), name="home"),
    path(
        "wnioski/<int:pk>/",
        common.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    path("kluby/nowy/", applicant.ClubCreateView.as_view(), name="club_create"),
    path("kluby/<int:pk>/", applicant.ClubDetailView.as_view(), name="club_detail"),
    path("kluby/<int:pk>/edycja/", applicant.ClubEditView.as_view(), name="club_edit"),
    path(
        "certyfikaty/<int:pk>/odnowienie/",
        applicant.RenewalCreateView.as_view(),
        name="renewal_create",
    ),
    path(
        "wnioski/<int:pk>/edycja/",
        application_form.TaskListView.as_view(),
        name="application_edit",
    ),
    path(
        "wnioski/<int:pk>/edycja/<slug:slug>/",
        application_form.SectionView.as_view(),
        name="application_section",
    ),
    path(
        "wnioski/<int:pk>/sprawdz/",
        application_form.CheckAnswersView.as_view(),
        name="application_check",
    ),
    path(
        "wnioski/<int:pk>/potwierdzenie/", common.ReceiptView.as_view(), name="receipt"
    ),
    path(
        "wnioski/<int:pk>/krok/<slug:name>/", common.ActionView.as_view(), name="action"
    ),
    path(
        "wnioski/<int:pk>/przydziel/",
        assignment.AssignView.as_view(),
        name="assign",
    ),
    path(
        "wnioski/<int:pk>/karta-standardu/",
        card_views.StandardCardView.as_view(),
        name="standard_card",
    ),
    path(
        "wnioski/<int:pk>/karta-audytu/",
        card_views.AuditCardView.as_view(),
        name="audit_card",
    ),
    path(
        "wnioski/<int:pk>/dokumenty/wniosek.pdf",
        document_views.ApplicationDocumentView.as_view(),
        name="document_application",
    ),
    path(
        "wnioski/<int:pk>/dokumenty/karta-standardu.pdf",
        document_views.StandardCardDocumentView.as_view(),
        name="document_standard_card",
    ),
    path(
        "wnioski/<int:pk>/dokumenty/karta-audytu.pdf",
        document_views.AuditCardDocumentView.as_view(),
        name="document_audit_card",
    ),
    path(
        "wnioski/<int:pk>/dokumenty/karta-procesu.pdf",
        document_views.ProcessCardDocumentView.as_view(),
        name="document_process_card",
    ),
    path(
        "wnioski/<int:pk>/dokumenty/potwierdzenie.pdf",
        document_views.ReceiptDocumentView.as_view(),
        name="document_receipt",
    ),
    path(
        "wnioski/<int:pk>/dokumenty/decyzja-<int:decision_pk>.pdf",
        document_views.DecisionDocumentView.as_view(),
        name="document_decision",
    ),
    path(
        "wnioski/<int:pk>/zalaczniki/",
        attachment_views.AttachmentListView.as_view(),
        name="attachments",
    ),
    path(
        "wnioski/<int:pk>/zalaczniki/<int:attachment_pk>/",
        attachment_views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "wnioski/<int:pk>/zalaczniki/<int:attachment_pk>/usun/",
        attachment_views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path(
        "wnioski/<int:pk>/decyzje/<int:decision_pk>/sprostowanie/",
        decision_views.DecisionCorrectView.as_view(),
        name="decision_correct",
    ),
    path(
        "monitoring/",
        monitoring_views.MonitoringView.as_view(),
        name="monitoring",
    ),
    path(
        "monitoring.csv",
        monitoring_views.MonitoringCsvView.as_view(),
        name="monitoring_csv",
    ),
]
