"""Sources beyond local files: web pages (``web``) and RSS/Atom feeds (``feeds``)."""
