"""URLs of the printed forms and the register; included by `motcua/dossiers/urls.py` at the root.

Paths are Vietnamese like the rest of the staff pages: /ho-so/<code>/in/01/ (HTML), …/in/01.pdf,
/ho-so/so-theo-doi.xlsx?from=YYYY-MM-DD&to=YYYY-MM-DD (form 06).
"""

from django.urls import path, re_path

from motcua.dossiers.printing import views

urlpatterns = [
    path("ho-so/so-theo-doi.xlsx", views.register_xlsx, name="register_xlsx"),
    re_path(r"^ho-so/(?P<code>[^/]+)/in/(?P<number>0[1-5])/$", views.print_form, name="print_form"),
    re_path(
        r"^ho-so/(?P<code>[^/]+)/in/(?P<number>0[1-5])\.pdf$",
        views.print_form_pdf,
        name="print_form_pdf",
    ),
]
