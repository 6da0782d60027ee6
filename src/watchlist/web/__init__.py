"""The analyst workbench (server-rendered pages). Mount with `app.include_router(create_workbench_router(...))`."""

from watchlist.web.routes import create_workbench_app, create_workbench_router

__all__ = ["create_workbench_app", "create_workbench_router"]
