"""Top-level URL map: /admin/, /i18n/, /api/ and the citizen portal at /."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from motcua.accounts.login import StaffLoginView, admin_login
from motcua.api import api

urlpatterns = [
    # The admin signs in through the staff login (throttled, second factor): issue 13.
    path("admin/login/", admin_login, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    # The busiest public page first: the resolver tries the patterns in order (issue 17).
    path("tra-cuu/", include("motcua.dossiers.tracking")),
    path("", include("motcua.calendars.urls")),
    path("", include("motcua.reports.urls")),
    path("", include("motcua.feedback.urls")),
    path("", include("motcua.integrations.dvcqg.urls")),
    path("", include("motcua.orgs.urls")),
    path("dang-nhap/", StaffLoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path("tai-khoan/", include("allauth.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    # Before the dossiers' catch-all /ho-so/<code>/<action>/: /ho-so/<code>/ky-so/, /xac-thuc/<id>/.
    path("", include("motcua.signing.urls")),
    path("", include("motcua.dossiers.urls")),
    path("ngan-chan/", include("motcua.blocking.urls")),
    path("cong-chung/", include("motcua.notary.urls")),
    path("cai-cach/", include("motcua.reform.urls")),
    path("", include("motcua.portal.urls")),
]

# JSON under /api/, the HTML templates elsewhere (motcua/core/errors.py).
handler400 = "motcua.core.errors.bad_request"
handler403 = "motcua.core.errors.permission_denied"
handler404 = "motcua.core.errors.page_not_found"
handler500 = "motcua.core.errors.server_error"
