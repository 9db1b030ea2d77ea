from django.urls import path

from motcua.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedures, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("thu-tuc/<str:code>/nop-truc-tuyen/", views.submit, name="submit"),
    path("huong-dan/", views.guides, name="guides"),
    path("huong-dan/<slug:slug>/", views.guide, name="guide"),
    path("hoi-dap/", views.faq, name="faq"),
    path("tai-khoan/ho-so-ca-nhan/", views.profile, name="profile"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<str:code>/", views.dossier, name="dossier"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views.supplement, name="supplement"),
    path("ho-so-cua-toi/<str:code>/rut-ho-so/", views.withdraw, name="withdraw"),
    path("ho-so-cua-toi/<str:code>/nhan-ket-qua/", views.delivery, name="delivery"),
    path("ho-so-cua-toi/<str:code>/thanh-toan/", views.pay, name="pay"),
    path("ho-so-cua-toi/<str:code>/tep/<int:attachment_id>/", views.download, name="download"),
]
