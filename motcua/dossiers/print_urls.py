"""URLs of the printed forms and the register; included by `motcua/dossiers/urls.py` at the root.

Paths are Vietnamese like the rest of the staff pages: /ho-so/<code>/in/01/ (HTML), …/in/01.pdf,
/ho-so/so-theo-doi.xlsx?from=YYYY-MM-DD&to=YYYY-MM-DD (the register, form 06 or 07; also as a
page at /ho-so/so-theo-doi/). Form numbers are read in the dossier's rule version.
"""

from django.urls import path, re_path

from motcua.dossiers.printing import views

urlpatterns = [
    path("ho-so/so-theo-doi.xlsx", views.register_xlsx, name="register_xlsx"),
    path("ho-so/so-theo-doi/", views.register_html, name="register_html"),
    re_path(r"^ho-so/(?P<code>[^/]+)/in/(?P<number>0[1-7])/$", views.print_form, name="print_form"),
    re_path(
        r"^ho-so/(?P<code>[^/]+)/in/(?P<number>0[1-7])\.pdf$",
        views.print_form_pdf,
        name="print_form_pdf",
    ),
]
