"""Storages: static files (hashed, compressed names after collectstatic) and atomic media files."""

import contextlib
import os
import tempfile

from django.core.files.storage import FileSystemStorage
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


class AtomicFileSystemStorage(FileSystemStorage):
    """File storage that never leaves a partial file (issue 13 gap 13).

    Each file is written to a temporary file in the same folder, flushed to disk, and moved into
    place with `os.replace` (atomic on one file system). If writing fails — a full disk, a killed
    worker's exception — the temporary file is removed and the final name never appears. Only a
    hard kill (power loss, kill -9) mid-write can leave a hidden `.upload-*.part` file, never a
    file the application would serve.
    """

    def _write_chunk(self, handle, chunk: bytes) -> None:
        handle.write(chunk)

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        if self.directory_permissions_mode is not None:
            old_umask = os.umask(0o777 & ~self.directory_permissions_mode)
            try:
                os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
            finally:
                os.umask(old_umask)
        else:
            os.makedirs(directory, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in content.chunks():
                    self._write_chunk(handle, chunk if isinstance(chunk, bytes) else chunk.encode())
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, self.file_permissions_mode or 0o644)
            while os.path.exists(full_path):  # generated names make this rare
                name = self.get_available_name(name)
                full_path = self.path(name)
            os.replace(temporary, full_path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return str(name).replace("\\", "/")
