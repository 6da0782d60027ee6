"""The HTTP API (FastAPI): screening and reconciliation routes, API keys (`keys`) and their checks (`auth`),
request guards and the app factory."""
