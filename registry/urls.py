"""Public addresses: stable, in Polish, for others to link to."""

from django.urls import path

from registry import document_views, readiness, views

app_name = "registry"

urlpatterns = [
    path("rejestr/", views.register, name="register"),
    path(
        "rejestr/<slug:slug>/",
        views.voivodeship_register,
        name="voivodeship_register",
    ),
    path("rejestr.pdf", document_views.register_pdf, name="register_pdf"),
    path(
        "rejestr/<slug:slug>.pdf",
        document_views.voivodeship_register_pdf,
        name="voivodeship_register_pdf",
    ),
    path("formularze/", document_views.forms_index, name="forms"),
    path("gotowosc/", readiness.readiness, name="readiness"),
    path("formularze/<slug:slug>.pdf", document_views.form_pdf, name="form_pdf"),
    path("certyfikat/<str:number>/", views.certificate, name="certificate"),
    path("certyfikat/<str:number>.pdf", views.certificate_pdf, name="certificate_pdf"),
]
