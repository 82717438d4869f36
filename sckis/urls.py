from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from certification.forms_accounts import LoginForm
from certification.views.accounts import LogoutView
from certification.views.common import home

urlpatterns = [
    path("", home, name="home"),
    path(
        "logowanie/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("wylogowanie/", LogoutView.as_view(), name="logout"),
    path("konto/", include("certification.urls_accounts")),
    path("panel/", include("certification.urls")),
    path("", include("registry.urls")),
    path("admin/", admin.site.urls),
]
