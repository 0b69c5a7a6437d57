"""The `notes-app` command (also `python -m notes_app`): the app's commands over `create_app`.

Apart from `cli`, so that `cli` (whose commands `create_app` registers) need not import the app.
"""

from __future__ import annotations

from flask.cli import FlaskGroup

from notes_app import cli, create_app


def main() -> None:
    FlaskGroup(create_app=create_app, help=cli.__doc__)()


if __name__ == "__main__":
    main()
