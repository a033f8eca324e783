"""The web app: server-rendered pages (Jinja2) over the same functions the REST API calls, with
small progressive JavaScript; Dutch by default, English at /en/. No rule logic lives here."""
