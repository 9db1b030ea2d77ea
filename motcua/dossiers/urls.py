"""Staff pages under /ho-so/ (namespace "dossiers"); the printable forms come from print_urls."""

from django.urls import include, path

from . import views, views_marks

app_name = "dossiers"

urlpatterns = [
    path("ho-so/", views.worklist, name="worklist"),
    path("ho-so/bat-dau/", views.after_login, name="after_login"),
    path("ho-so/tiep-nhan/", views.intake, name="intake"),
    path("ho-so/<str:code>/", views.detail, name="detail"),
    path("ho-so/<str:code>/tep/<int:attachment_id>/", views.download, name="download"),
    path("ho-so/<str:code>/tai-tep/", views.upload, name="upload"),
    path("ho-so/<str:code>/thanh-phan/", views_marks.document_marks, name="document_marks"),
    # Printable forms 01–05 at /ho-so/<code>/in/<nn>/ (motcua/dossiers/print_urls.py).
    path("", include("motcua.dossiers.print_urls")),
    path("ho-so/<str:code>/<slug:action>/", views.act, name="act"),
]
