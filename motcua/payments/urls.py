from django.urls import path

from . import views
from .paygov import views as paygov_views

app_name = "payments"

urlpatterns = [
    path("thu-nghiem/<str:reference>/", views.test_checkout, name="test_checkout"),
    path("bien-lai/<str:reference>/", views.receipt, name="receipt"),
    path("cong-thanh-toan/ve/", paygov_views.back, name="paygov_return"),
    path("cong-thanh-toan/thong-bao/", paygov_views.notify, name="paygov_notify"),
]
