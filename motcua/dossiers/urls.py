"""Staff pages under /ho-so/ (namespace "dossiers"); the printable forms come from print_urls."""

from django.urls import include, path

from . import counter, views, views_export, views_marks

app_name = "dossiers"

urlpatterns = [
    path("ho-so/", views.worklist, name="worklist"),
    path("ho-so/bat-dau/", views.after_login, name="after_login"),
    path("ho-so/xuat-excel/", views_export.worklist_xlsx, name="worklist_xlsx"),
    path("ho-so/tiep-nhan/", views.intake, name="intake"),
    path("ho-so/tu-choi/", counter.counter_refusal, name="counter_refusal"),
    # Printable forms at /ho-so/<code>/in/<nn>/ and the register (motcua/dossiers/print_urls.py),
    # before the dossier page so that /ho-so/so-theo-doi/ is not read as a dossier code.
    path("", include("motcua.dossiers.print_urls")),
    path("ho-so/<str:code>/", views.detail, name="detail"),
    path("ho-so/<str:code>/tep/<int:attachment_id>/", views.download, name="download"),
    path("ho-so/<str:code>/tai-tep/", views.upload, name="upload"),
    path("ho-so/<str:code>/thanh-phan/", views_marks.document_marks, name="document_marks"),
    path("ho-so/<str:code>/<slug:action>/", views.act, name="act"),
]
