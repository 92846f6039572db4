"""Back-office pages for one-stop counter officials, one module per page."""
