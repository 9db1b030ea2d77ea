from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [path("bao-cao/dung-han/", views.ontime, name="ontime")]
