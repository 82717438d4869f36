from django.urls import path

from certification.views import common

app_name = "certification"

urlpatterns = [
    path("", common.DashboardView.as_view(), name="home"),
    path(
        "wnioski/<int:pk>/",
        common.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    path(
        "wnioski/<int:pk>/potwierdzenie/", common.ReceiptView.as_view(), name="receipt"
    ),
    path(
        "wnioski/<int:pk>/krok/<slug:name>/", common.ActionView.as_view(), name="action"
    ),
]
