"""The citizen's dossier pages, one module per page."""
