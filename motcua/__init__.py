"""motcua: one-stop dossier processing for a provincial Department of Justice."""

__version__ = "0.1.0"
