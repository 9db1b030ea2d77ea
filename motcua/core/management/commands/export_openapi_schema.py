"""django-ninja's `export_openapi_schema`, kept now that ninja is not an installed app (issue 17)."""

from ninja.management.commands.export_openapi_schema import Command  # noqa: F401
