"""Views of the path: the terminal (rich), the JSON document, the web page."""
