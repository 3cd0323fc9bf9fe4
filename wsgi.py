"""WSGI entry point: gunicorn and `flask --app wsgi` load the app from here."""

from clubess import create_app

app = create_app()
