from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [path("tinh-han/", views.calculator, name="calculator")]
