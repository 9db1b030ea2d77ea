"""/ho-so/<code>/ky-so/ (staff), /xac-thuc/<id>/ (public, from the QR code), and the "sign and
download" actions of the documents motcua draws (issue 15)."""

from django.urls import path, re_path

from . import views, views_documents

app_name = "signing"

urlpatterns = [
    # Before /ho-so/<code>/ky-so/: "so-theo-doi" is not a dossier code.
    path("ho-so/so-theo-doi/ky-so/", views_documents.sign_register, name="sign_register"),
    path("ho-so/<str:code>/ky-so/", views.sign_result, name="sign_result"),
    re_path(
        r"^ho-so/(?P<code>[^/]+)/in/(?P<number>0[1-7])/ky-so/$",
        views_documents.sign_form,
        name="sign_form",
    ),
    path(
        "ngan-chan/tra-cuu/<int:pk>/chung-nhan/ky-so/",
        views_documents.sign_blocking_certificate,
        name="sign_blocking_certificate",
    ),
    path(
        "cai-cach/ket-qua/<int:year>/<str:block>/ky-so/",
        views_documents.sign_reform_results,
        name="sign_reform_results",
    ),
    path("xac-thuc/<str:public_id>/", views.public, name="public"),
]
