"""Account security pages under /tai-khoan/ (next to allauth's): signed-in sessions."""

from django.urls import path

from . import views

urlpatterns = [
    path("phien/", views.sessions_page, name="account_sessions"),
]
