from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("thu-nghiem/<str:reference>/", views.test_checkout, name="test_checkout"),
]
