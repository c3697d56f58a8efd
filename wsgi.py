"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

from competition import create_app

app = create_app()
