from django.urls import path

from . import views, views_manual

app_name = "reports"

urlpatterns = [
    path("bao-cao/", views.dashboard, name="dashboard"),
    path("bao-cao/dung-han/", views.ontime, name="ontime"),
    path("bao-cao/dung-han/excel/", views.ontime_xlsx, name="ontime_xlsx"),
    path("bao-cao/dung-han/pdf/", views.ontime_pdf, name="ontime_pdf"),
    path("bao-cao/dung-han/in/", views.ontime_print, name="ontime_print"),
    path("bao-cao/ho-so/", views.drill, name="drill"),
    path("bao-cao/chi-so-766/", views.index766, name="index766"),
    path("bao-cao/chi-so-766/excel/", views.index766_xlsx, name="index766_xlsx"),
    path("bao-cao/chi-so-766/pdf/", views.index766_pdf, name="index766_pdf"),
    path("bao-cao/chi-so-766/nhap/", views_manual.index766_manual, name="index766_manual"),
]
