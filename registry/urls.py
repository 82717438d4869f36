"""Public addresses: stable, in Polish, for others to link to."""

from django.urls import path

from registry import views

app_name = "registry"

urlpatterns = [
    path("rejestr/", views.register, name="register"),
    path(
        "rejestr/<slug:slug>/",
        views.voivodeship_register,
        name="voivodeship_register",
    ),
    path("certyfikat/<str:number>/", views.certificate, name="certificate"),
    path("certyfikat/<str:number>.pdf", views.certificate_pdf, name="certificate_pdf"),
]
