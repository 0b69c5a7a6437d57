"""The notes-app commands (also available as `flask --app notes_app ...`)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from notes_app.domain import limits, policy
from notes_app.domain.consent import Decision, Level
from notes_app.extensions import db
from notes_app.services import (
    accounts,
    consent,
    drafts,
    mail,
    meetings,
    networks,
    publications,
    publishing,
    search,
    speakers,
)
from notes_app.services.errors import ServiceError

users_cli = AppGroup("users", help="Manage user accounts.")
networks_cli = AppGroup("networks", help="Manage networks and their members.")
mail_cli = AppGroup("mail", help="Send what waits in the outbox.")
meetings_cli = AppGroup("meetings", help="Import meetings from event posts.")
notes_cli = AppGroup("notes", help="Import and export meetings' notes.")
consent_cli = AppGroup("consent", help="Record speakers' consent decisions.")
search_cli = AppGroup("search", help="Look after the search index.")


def transaction(command: Callable) -> Callable:
    """Commit when the command succeeds; on any error print it, change nothing, exit 1."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
            db.session.commit()
            return result
        except ServiceError as error:
            db.session.rollback()
            click.echo(f"Error: {error}", err=True)
            sys.exit(1)
        except BaseException:
            db.session.rollback()
            raise

    return run


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's name as others will see it.")
@click.option("--admin", is_flag=True, help="Make the user a site admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@transaction
def create_user(email: str, name: str, admin: bool, password_stdin: bool) -> None:
    """Create a user account."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    user = accounts.create_user(email, name, password, is_admin=admin)
    click.echo(f"Created {'admin ' if admin else ''}user {user.email}")
    if password is None:
        click.echo("No password was set: send the user a password reset link.", err=True)


@networks_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The network's name.")
@transaction
def create_network(slug: str, name: str) -> None:
    """Create a network."""
    network = networks.create_network(slug, name, actor_id=None)
    click.echo(f"Created network {network.slug}")


@networks_cli.command("add-member")
@click.argument("slug")
@click.argument("email")
@click.option("--role", required=True, help="member or facilitator")
@transaction
def add_member(slug: str, email: str, role: str) -> None:
    """Give an existing user a role in a network."""
    network = networks.get_network(slug)
    user = accounts.find_user_by_email(email)
    if user is None:
        raise ServiceError(f"There is no user {email!r}; create it with `users create` first.")
    networks.add_member(network, user, role, actor_id=None)
    click.echo(f"{user.email} is a {role} of {network.slug}")


@meetings_cli.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--network", "network_slug", required=True, help="The network's slug.")
@transaction
def import_meeting(file, network_slug: str) -> None:
    """Create or update a meeting from an event post; print its slug on the last line."""
    network = networks.get_network(network_slug)
    name = None if file.name == "<stdin>" else os.path.basename(file.name)
    text = _read_at_most(file, limits.EVENT_POST)
    result = meetings.import_event_post(network, text, name, actor_id=None)
    for warning in (*result.warnings, *result.kept):
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"{'Created' if result.created else 'Updated'} meeting {result.meeting.title!r}")
    click.echo(result.meeting.slug)


@notes_cli.command("import")
@click.argument("meeting")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@transaction
def import_notes(meeting: str, file) -> None:
    """Replace a meeting's draft with a notes file, as a new revision (all or nothing)."""
    found = meetings.meeting_by_reference(meeting)
    revision = drafts.import_notes(found, _read_at_most(file, limits.NOTES_FILE), actor_id=None)
    click.echo(f"Imported the notes of {found.slug} as revision {revision.number}")


def _read_at_most(file, limit: limits.Limit) -> str:
    """Read a file, or just enough of it for the service to say that it is too long."""
    return file.read(limit.characters + 1)


@notes_cli.command("export")
@click.argument("meeting")
@click.option("--published", is_flag=True, help="The latest publication instead of the draft.")
@transaction
def export_notes(meeting: str, published: bool) -> None:
    """Print a meeting's draft in the notes format."""
    found = meetings.meeting_by_reference(meeting)
    if not published:
        click.echo(drafts.export_draft(found), nl=False)
        return
    publication = publications.latest_publication(found)
    if publication is None:
        raise ServiceError(f"Nothing of {found.slug} has been published yet.")
    click.echo(publishing.export_markdown(found, publication), nl=False)


@notes_cli.command("publish")
@click.argument("meeting")
@click.option("--by", "email", required=True, help="The facilitator who publishes.")
@click.option("--accept-warnings", is_flag=True, help="Publish although the report has warnings.")
@transaction
def publish_notes(meeting: str, email: str, accept_warnings: bool) -> None:
    """Redact, publish and circulate a meeting's notes; exit 1 with the report if refused.

    Notes unchanged since their latest publication (draft, consents, terms) are not published
    or emailed again: the command says so and exits 0.
    """
    found = meetings.meeting_by_reference(meeting)
    user = accounts.find_user_by_email(email)
    if user is None or not policy.can_edit_notes(accounts.actor_for(user), found.network_id):
        raise ServiceError(f"{email} is not a facilitator of this meeting's network.")
    try:
        publication = publishing.publish(
            found, actor_id=user.id, accept_warnings=accept_warnings, if_changed=True
        )
    except publishing.AlreadyPublished as done:
        click.echo(f"{done} Nothing has changed since; nothing was published or sent.")
        return
    except publishing.PublicationRefused as refused:
        click.echo(format_report(refused.report), err=True)
        raise
    click.echo(f"Published {found.slug} version {publication.version}")


def format_report(report) -> str:
    """Write a redaction report for a terminal."""
    lines = []
    for leak in report.leaks:
        lines.append(
            f"LEAK {leak.kind} {leak.what!r} in item {leak.item_id} "
            f"({leak.view} view, {leak.normal_form})"
        )
    for warning in report.warnings:
        lines.append(f"WARNING {warning.kind} in item {warning.item_id}: {warning.message}")
    for change in report.changes:
        lines.append(f"change {change.rule}: {change.action} in item {change.item_id}")
    lines.append(f"{len(report.checks)} checks ran")
    return "\n".join(lines)


@consent_cli.command("record")
@click.argument("meeting")
@click.argument("handle")
@click.option("--grant", "decision", flag_value="granted", help="The speaker agrees to a credit.")
@click.option("--decline", "decision", flag_value="declined", help="The speaker says no.")
@click.option("--withdraw", "decision", flag_value="withdrawn", help="The speaker takes it back.")
@click.option(
    "--item",
    "item_id",
    help="One statement's id; without it, all their statements (a grant for all leaves a"
    " statement they declined or withdrew on its own as it is: grant it with --item).",
)
@click.option("--level", type=click.Choice(["name", "descriptor"]), help="How to credit (grant).")
@click.option("--label", help="The credit by name the speaker approved (grant by name).")
@click.option("--evidence", required=True, help="How the speaker told you, e.g. an email.")
@transaction
def record_consent(
    meeting: str,
    handle: str,
    decision: str | None,
    item_id: str | None,
    level: str | None,
    label: str | None,
    evidence: str,
) -> None:
    """Record a decision a speaker sent by email or on paper, on their behalf."""
    if decision is None:
        raise ServiceError("Say which decision: --grant, --decline or --withdraw.")
    found = meetings.meeting_by_reference(meeting)
    speaker = speakers.find_speaker(found, handle.lstrip("@"))
    count = consent.record_on_behalf(
        found,
        speaker,
        Decision(decision),
        evidence=evidence,
        actor_id=None,
        item_id=item_id,
        level=Level(level) if level else None,
        label=label,
    )
    click.echo(f"Recorded {count} decision(s) for @{speaker.handle} in {found.slug}")


@search_cli.command("rebuild")
@transaction
def rebuild_search() -> None:
    """Index every meeting's latest publication and visible comments again, from scratch."""
    click.echo(f"Indexed {search.rebuild()} meeting(s)")


@mail_cli.command("deliver")
@with_appcontext
def deliver_mail() -> None:
    """Send the messages that are due now, then exit (failures are retried later)."""
    from notes_app.worker import deliver_due

    try:
        delivery = deliver_due()
    except ServiceError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    withheld = f", withheld {delivery.withheld}" if delivery.withheld else ""
    click.echo(f"sent {delivery.sent}, failed {delivery.failed}{withheld}")


@click.command("worker")
@with_appcontext
def worker() -> None:
    """Send mail as it falls due and run the scheduled jobs, until SIGTERM or Ctrl-C."""
    import logging

    from flask import current_app

    from notes_app.worker import Worker

    if current_app.config.get("MAIL_URL"):
        try:
            mail.parse_mail_url(current_app.config["MAIL_URL"])
        except ServiceError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(1)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    Worker(current_app._get_current_object()).run()


@click.command("demo")
@with_appcontext
@transaction
def demo() -> None:
    """Load the demo network, its people and a meeting; print the demo logins."""
    from notes_app.services.demo import load_demo

    for line in load_demo():
        click.echo(line)


def init_app(app: Flask) -> None:
    for command in (
        users_cli,
        networks_cli,
        meetings_cli,
        notes_cli,
        consent_cli,
        search_cli,
        mail_cli,
        worker,
        demo,
    ):
        app.cli.add_command(command)
