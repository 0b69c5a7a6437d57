"""The notes-app commands: results on stdout, errors on stderr, nothing half-written."""

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from notes_app.extensions import db
from notes_app.models import Membership, Network, User
from tests.conftest import post_form


@pytest.fixture
def run(app):
    def invoke(*args, input=None):
        return CliRunner().invoke(app.cli, list(args), input=input, obj=_script_info(app))

    return invoke


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


def count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_users_create_reads_the_password_from_stdin(app, run, client):
    result = run(
        "users",
        "create",
        "Cli@Example.org",
        "--name",
        "Cli User",
        "--password-stdin",
        input="a long cli password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created user cli@example.org" in result.stdout
    response = post_form(
        client, "/login", {"email": "cli@example.org", "password": "a long cli password"}
    )
    assert response.status_code == 302


def test_duplicate_email_is_an_error_and_changes_nothing(app, run):
    run(
        "users",
        "create",
        "dup@example.org",
        "--name",
        "One",
        "--password-stdin",
        input="pass word one\n",
    )
    result = run("users", "create", "DUP@example.org", "--name", "Two", "--admin")
    assert result.exit_code == 1
    assert "exists already" in result.stderr and result.stdout == ""
    assert count(app, User) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("users", "create", "not-an-email", "--name", "X"), "is not an email address"),
        (
            ("users", "create", "short@example.org", "--name", "X", "--password-stdin"),
            "at least 10",
        ),
        (("networks", "create", "Bad Slug!", "--name", "X"), "not a usable slug"),
        (("networks", "add-member", "nowhere", "a@example.org", "--role", "member"), "no network"),
    ],
)
def test_bad_input_exits_non_zero_with_a_clear_error(app, run, args, message):
    result = run(*args, input="short\n")
    assert result.exit_code == 1
    assert message in result.stderr
    assert count(app, User) == 0 and count(app, Network) == 0


def test_networks_and_members(app, run):
    assert run("networks", "create", "civil-society", "--name", "Civil society").exit_code == 0
    run("users", "create", "m@example.org", "--name", "M")
    bad = run("networks", "add-member", "civil-society", "m@example.org", "--role", "owner")
    assert bad.exit_code == 1 and "not a role" in bad.stderr
    unknown = run("networks", "add-member", "civil-society", "x@example.org", "--role", "member")
    assert unknown.exit_code == 1 and "no user" in unknown.stderr
    ok = run("networks", "add-member", "civil-society", "m@example.org", "--role", "facilitator")
    assert ok.exit_code == 0 and "facilitator of civil-society" in ok.stdout
    assert count(app, Membership) == 1


def test_demo_prints_credentials_that_log_in(app, run, client):
    result = run("demo")
    assert result.exit_code == 0, result.output
    logins = re.findall(
        r"^\s+(facilitator|member|site admin)\s+(\S+@\S+)\s+(\S+)$", result.stdout, re.M
    )
    assert {role for role, _, _ in logins} == {"facilitator", "member", "site admin"}
    for _, email, password in logins:
        fresh = app.test_client()
        assert post_form(fresh, "/login", {"email": email, "password": password}).status_code == 302
        assert "Demo" in fresh.get("/").get_data(as_text=True) or email.startswith("admin")
    again = run("demo")  # running it again refreshes the passwords, never duplicates
    assert again.exit_code == 0
    logins = re.findall(
        r"^\s+(facilitator|member|site admin)\s+(\S+@\S+)\s+(\S+)$", again.stdout, re.M
    )
    assert count(app, Network) == 1
    from notes_app.models import Meeting, Publication

    assert count(app, Meeting) == 1 and count(app, Publication) == 1
    member = app.test_client()
    member_login = next(login for login in logins if login[0] == "member")
    post_form(member, "/login", {"email": member_login[1], "password": member_login[2]})
    meeting_page = member.get("/n/demo-practice/").get_data(as_text=True)
    notes_url = re.search(r'href="(/n/demo-practice/m/[^"]+/)"', meeting_page).group(1) + "notes"
    notes = member.get(notes_url).get_data(as_text=True)
    assert "citizens" in notes and "Alex Moorcroft" not in notes and "Project Heron" not in notes


def test_the_console_script_and_flask_share_the_commands(tmp_path):
    env = {
        "NOTES_ENV": "development",
        "NOTES_DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3",
        "PATH": "/usr/bin:/bin",
    }
    bin_dir = __import__("pathlib").Path(sys.executable).parent
    upgrade = subprocess.run(
        [bin_dir / "notes-app", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    listed = subprocess.run(
        [bin_dir / "flask", "--app", "notes_app", "--help"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    for command in ("db", "users", "networks", "demo", "mail", "worker"):
        assert command in listed.stdout
