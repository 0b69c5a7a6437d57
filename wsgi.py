"""The WSGI entry point: `gunicorn wsgi:app`."""

from notes_app import create_app

app = create_app()
