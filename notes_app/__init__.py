"""A Chatham House notes workspace."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from notes_app.config import Config

PACKAGE = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE.parent


def resource_folder(name: str) -> Path:
    """Find `templates` or `migrations`: inside the installed package, or at the top of a clone.

    The clone keeps them at the top level; the wheel carries them inside `notes_app/`
    (pyproject.toml maps them there), so an installed copy needs no source tree.
    """
    inside = PACKAGE / name
    return inside if inside.is_dir() else PROJECT_ROOT / name


def create_app(config: Config | object | None = None) -> Flask:
    """Build the application; tests pass their own config."""
    # Imported here so that the pure domain package can be imported without Flask.
    from flask import Flask

    from notes_app.config import config_from_environment

    app = Flask(
        __name__,
        template_folder=str(resource_folder("templates")),
        instance_relative_config=True,
    )
    app.config.from_object(config or config_from_environment(app.instance_path))
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        # Trust exactly that many proxies' X-Forwarded-* headers; with none, a client's own
        # X-Forwarded-For is ignored (it could name any address and dodge the rate limits).
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )

    from notes_app import cli, extensions, web

    extensions.db.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=str(resource_folder("migrations")), render_as_batch=True
    )
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    return app
