"""/ho-so/<code>/ky-so/ (staff) and /xac-thuc/<id>/ (public, from the QR code)."""

from django.urls import path

from . import views

app_name = "signing"

urlpatterns = [
    path("ho-so/<str:code>/ky-so/", views.sign_result, name="sign_result"),
    path("xac-thuc/<str:public_id>/", views.public, name="public"),
]
