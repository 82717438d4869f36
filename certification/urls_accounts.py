"""Addresses of accounts, under /konto/: registration, its confirmation (and
its link sent again) and the password reset.

The names are not namespaced, because Django's password reset views and
e-mail find each other by the plain names `password_reset_*`.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from certification.views import accounts

urlpatterns = [
    path("rejestracja/", accounts.RegisterView.as_view(), name="account_register"),
    path(
        "potwierdz/<uidb64>/<token>/",
        accounts.ConfirmAccountView.as_view(),
        name="account_confirm",
    ),
    path(
        "potwierdzenie-ponownie/",
        accounts.ResendConfirmationView.as_view(),
        name="account_confirm_resend",
    ),
    path(
        "haslo/",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "haslo/wyslane/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "haslo/nowe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "haslo/zmienione/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
