"""The web interface's routes, one module per family of pages."""
