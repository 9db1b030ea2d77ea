"""Starting a motcua process: the garbage collector paused while the apps load (issue 17).

Loading the apps creates some 400,000 objects that live as long as the process. The collector
walks them again and again as they appear and finds nothing to free: with it running, a `motcua`
command took ≈ 270 ms longer to start (`bench/startup_bench.py`). Paused before Django is
imported and resumed once the apps are loaded, with the start-up objects frozen out of its way
(`gc.freeze`), so that what runs afterwards — a command, a web worker's requests — is collected
as usual, without walking the start-up objects again. Freezing also keeps them on shared pages in
forked gunicorn workers.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def pause_collector() -> None:
    gc.disable()


def resume_collector() -> None:
    """Idempotent: called once the apps are loaded, and again when the process's work ends."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def load_for_requests() -> None:
    """Load in a web worker, before it accepts a request, what Django would otherwise load on its
    first requests: every view through the URLconf (≈ 1 s of CPU: fpdf, openpyxl, django-ninja),
    the template engines and the translation catalogues. The first visitors of a new worker do
    not wait for it, and it happens with the collector paused."""
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().reverse_dict  # noqa: B018 — imports the URLconf and indexes its names
    engines.all()
    for code, _name in settings.LANGUAGES:
        translation.activate(code)
    translation.deactivate()


@contextmanager
def collector_paused() -> Iterator[None]:
    pause_collector()
    try:
        yield
    finally:
        resume_collector()
