"""Static file storage: hashed, compressed names after collectstatic; plain names before."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Manifest storage that falls back to the plain name when a file was not collected.

    Tests and `runserver` work without collectstatic; production (after `motcua demo` or
    `collectstatic`) gets cache-busting names. A missing file still 404s, it just does not crash
    the page that links it.
    """

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            return name
