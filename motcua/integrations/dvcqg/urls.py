from django.urls import path

from . import views

app_name = "dvcqg"

urlpatterns = [path("quan-tri/dong-bo-dvcqg/", views.sync_page, name="sync")]
