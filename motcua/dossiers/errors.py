class DossierError(Exception):
    """A refused operation on a dossier; the message is for the user, nothing was changed."""
