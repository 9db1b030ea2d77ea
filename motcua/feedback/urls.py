from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("danh-gia/<str:code>/", views.rate, name="rate"),
    path("gop-y/", views.submit, name="submit"),
    path("gop-y/tra-loi/", views.answer_lookup, name="answer"),
    path("phan-anh/", views.worklist, name="worklist"),
    path("phan-anh/<str:code>/", views.detail, name="detail"),
    path("bao-cao/hai-long/", views.stats, name="stats"),
]
