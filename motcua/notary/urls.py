"""/cong-chung/ — a notary organisation's own notarized transactions (namespace "notary")."""

from django.urls import path

from . import views

app_name = "notary"

urlpatterns = [
    path("", views.tx_list, name="list"),
    path("moi/", views.enter, name="enter"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.correct, name="correct"),
    path("<int:pk>/giai-chap/", views.release, name="release"),
    path("<int:pk>/ban-quet/", views.scan, name="scan"),
]
