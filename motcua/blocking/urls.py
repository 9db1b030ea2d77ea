"""/ngan-chan/ — the notarization blocking registry (namespace "blocking")."""

from django.urls import path

from . import list_export, submission_views, views

app_name = "blocking"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("xuat-excel/", list_export.worklist_xlsx, name="worklist_xlsx"),
    path("moi/", views.enter, name="enter"),
    path("tra-cuu/", views.search, name="search"),
    path("tra-cuu/nhat-ky/", views.lookup_log, name="lookup_log"),
    path("tra-cuu/<int:pk>/chung-nhan/", views.certificate, name="certificate"),
    path("xac-minh/<str:token>/", views.verify, name="verify"),
    path("thong-ke/", views.statistics, name="statistics"),
    # Issue 16: authorities submit on the site; the registry accepts (→ a request) or refuses.
    path("gui/", submission_views.submission_list, name="submissions"),
    path("gui/moi/", submission_views.submission_new, name="submission_new"),
    path("gui/<int:pk>/", submission_views.submission_detail, name="submission"),
    path("gui/<int:pk>/ban-quet/", submission_views.submission_scan, name="submission_scan"),
    path(
        "gui/<int:pk>/<slug:action>/",
        submission_views.submission_decide,
        name="submission_decide",
    ),
    path("giai-toa/<int:pk>/ban-quet/", views.release_scan, name="release_scan"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ban-quet/", views.scan, name="scan"),
    path("<int:pk>/giai-toa/", views.release, name="release"),
    path("<int:pk>/sua/", views.correct, name="correct"),
    path("<int:pk>/rut-tai-san/<int:asset_id>/", views.withdraw_asset, name="withdraw_asset"),
    path("<int:pk>/rut-chu-so-huu/<int:owner_id>/", views.withdraw_owner, name="withdraw_owner"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
