class BlockingError(Exception):
    """A refused write on the registry; the message is for the user (already translated)."""


class DuplicateRequestError(BlockingError):
    """Same authority, document number and date as an existing request (`existing` points to it)."""

    def __init__(self, message: str, existing):
        super().__init__(message)
        self.existing = existing
