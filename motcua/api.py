"""The JSON API root: every app's ninja router is mounted here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="motcua API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

# Routers are added by dotted path so this module does not import every app at load time.
api.add_router("/v1/worktime/", "motcua.calendars.api.router")
api.add_router("/v1/dossiers/", "motcua.dossiers.api.router")
api.add_router("/v1/reform/", "motcua.reform.api.router")
api.add_router("/v1/tracking", "motcua.dossiers.tracking_api.router")
api.add_router("/v1/blocking/", "motcua.blocking.api.router")
api.add_router("/v1/notary/", "motcua.notary.api.router")
