from motcua.blocking.errors import BlockingError


class NotaryError(BlockingError):
    """A refused write on the transactions; the message is for the user (already translated)."""
