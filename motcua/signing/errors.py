"""The one error of the signing package: its message is shown to the officer as it is."""


class SigningError(Exception):
    """Signing could not be done (token absent, wrong PIN, expired certificate, bad file…).

    The message is translated and says what to do; nothing was changed."""
