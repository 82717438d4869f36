from django.urls import path

from certification.views import applicant, common
from certification.views import cards as card_views

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
        "wnioski/<int:pk>/edycja/",
        applicant.ApplicationEditView.as_view(),
        name="application_edit",
    ),
    path(
        "wnioski/<int:pk>/potwierdzenie/", common.ReceiptView.as_view(), name="receipt"
    ),
    path(
        "wnioski/<int:pk>/krok/<slug:name>/", common.ActionView.as_view(), name="action"
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
]
