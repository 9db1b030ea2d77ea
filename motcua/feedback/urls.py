from django.urls import path

from . import exports, views

app_name = "feedback"

urlpatterns = [
    path("danh-gia/<str:code>/", views.rate, name="rate"),
    path("gop-y/", views.submit, name="submit"),
    path("gop-y/tra-loi/", views.answer_lookup, name="answer"),
    path("phan-anh/", views.worklist, name="worklist"),
    path("phan-anh/xuat-excel/", exports.worklist_xlsx, name="worklist_xlsx"),
    path("phan-anh/<str:code>/", views.detail, name="detail"),
    path("bao-cao/hai-long/", views.stats, name="stats"),
    path("bao-cao/hai-long/excel/", exports.stats_xlsx, name="stats_xlsx"),
]
