"""Top-level URL map: /admin/, /i18n/, /api/ and the citizen portal at /."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from motcua.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("motcua.calendars.urls")),
    path("", include("motcua.reports.urls")),
    path("", include("motcua.feedback.urls")),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", include("allauth.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("", include("motcua.dossiers.urls")),
    path("tra-cuu/", include("motcua.dossiers.tracking")),
    path("ngan-chan/", include("motcua.blocking.urls")),
    path("cong-chung/", include("motcua.notary.urls")),
    path("cai-cach/", include("motcua.reform.urls")),
    path("", include("motcua.portal.urls")),
]
