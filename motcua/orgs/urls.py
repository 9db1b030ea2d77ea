"""The workspace's own URL (namespace "orgs")."""

from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("don-vi-lam-viec/", views.switch_unit, name="switch_unit"),
]
