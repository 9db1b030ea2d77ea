from django.urls import path

from . import views, views_cost

app_name = "reform"

urlpatterns = [
    path("", views.index, name="index"),
    path("bo-chi-so/nhap/", views.scheme_import, name="scheme_import"),
    path("bo-chi-so/<int:scheme_id>/", views.scheme, name="scheme"),
    path("bo-chi-so/<int:scheme_id>/excel/", views.scheme_export, name="scheme_export"),
    path("bo-chi-so/<int:scheme_id>/bat-dau/", views.assessment_start, name="assessment_start"),
    path("phieu/<int:assessment_id>/", views.assessment, name="assessment"),
    path(
        "phieu/<int:assessment_id>/minh-chung/<int:evidence_id>/",
        views.evidence_download,
        name="evidence",
    ),
    path("phieu/<int:assessment_id>/tham-dinh/", views.appraise, name="appraise"),
    path("phieu/<int:assessment_id>/khac-phuc/", views.gaps, name="gaps"),
    path("ket-qua/<int:year>/<str:block>/", views.results, name="results"),
    path("ket-qua/<int:year>/<str:block>/excel/", views.results_xlsx, name="results_xlsx"),
    path("ket-qua/<int:year>/<str:block>/pdf/", views.results_pdf, name="results_pdf"),
    path("ket-qua/<int:year>/<str:block>/bieu-do.svg", views.results_chart, name="results_chart"),
    path("chi-phi/", views.plans, name="plans"),
    path("chi-phi/<int:plan_id>/", views.plan_detail, name="plan"),
    path("chi-phi/<int:plan_id>/excel/", views.plan_xlsx, name="plan_xlsx"),
    path("chi-phi/moi/", views_cost.plan_new, name="cost_plan_new"),
    path("chi-phi/<int:plan_id>/sua/", views_cost.plan_edit, name="cost_plan_edit"),
]
