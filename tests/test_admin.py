"""Networks, members and invitations, managed in the web UI."""

import pytest

from notes_app.extensions import db
from notes_app.models import AuditEvent, Invitation, Membership, Network
from tests.conftest import PASSWORD, post_form


def test_admins_create_networks(app, client, member_setup, auth):
    auth.login(member_setup["admin"])
    response = post_form(
        client, "/admin/networks", {"slug": "civil-society", "name": "Civil society"}
    )
    assert response.status_code == 302
    duplicate = post_form(client, "/admin/networks", {"slug": "civil-society", "name": "Again"})
    assert duplicate.status_code == 422 and "exists already" in duplicate.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Network.id))) == 2


def test_facilitators_change_roles_and_remove_members(app, client, member_setup, auth):
    auth.login(member_setup["facilitator"])
    with app.app_context():
        membership = db.session.scalars(
            db.select(Membership).join(Membership.user).where(Membership.role == "member")
        ).one()
    url = f"/networks/river-network/members/{membership.id}"
    assert (
        post_form(
            client, f"{url}/role", {"role": "facilitator"}, page="/networks/river-network/members"
        ).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(Membership, membership.id).role == "facilitator"
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
        assert "role_changed" in actions
    assert (
        post_form(client, f"{url}/remove", {}, page="/networks/river-network/members").status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(Membership, membership.id) is None


def test_a_membership_of_another_network_is_not_found(
    app, client, member_setup, auth, create_network, create_user, add_member
):
    other = create_network("other-network")
    stranger = create_user()
    add_member(other, stranger)
    with app.app_context():
        foreign = db.session.scalars(
            db.select(Membership).where(Membership.network_id == other.id)
        ).one()
    auth.login(member_setup["facilitator"])
    response = post_form(
        client,
        f"/networks/river-network/members/{foreign.id}/remove",
        {},
        page="/networks/river-network/members",
    )
    assert response.status_code == 404


def test_invitations_can_be_withdrawn(app, client, member_setup, auth):
    auth.login(member_setup["facilitator"])
    post_form(
        client, "/networks/river-network/members", {"email": "maybe@example.org", "role": "member"}
    )
    with app.app_context():
        invitation = db.session.scalars(db.select(Invitation)).one()
    response = post_form(
        client,
        f"/networks/river-network/invitations/{invitation.id}/revoke",
        {},
        page="/networks/river-network/members",
    )
    assert response.status_code == 302
    client.get("/networks/river-network/members")  # shows the confirmation once
    assert "maybe@example.org" not in client.get("/networks/river-network/members").get_data(
        as_text=True
    )


def test_a_bad_invitation_is_refused_with_a_message(client, member_setup, auth):
    auth.login(member_setup["facilitator"])
    response = post_form(
        client, "/networks/river-network/members", {"email": "not an address", "role": "member"}
    )
    assert response.status_code == 422 and "not an email address" in response.get_data(as_text=True)
    bad_role = post_form(
        client, "/networks/river-network/members", {"email": "a@example.org", "role": "owner"}
    )
    assert bad_role.status_code == 422


def test_home_lists_only_my_networks(client, member_setup, auth, create_network):
    create_network("secret-network", "Secret network")
    auth.login(member_setup["member"])
    page = client.get("/").get_data(as_text=True)
    assert "River network" in page and "Secret network" not in page
    assert "Members and invitations" not in page


def test_account_page_saves_name_and_notification_choice(app, client, member_setup, auth):
    auth.login(member_setup["member"])
    response = post_form(client, "/account/", {"name": "Maxine Member"})
    assert response.status_code == 302
    page = client.get("/account/").get_data(as_text=True)
    assert 'value="Maxine Member"' in page and "River network (member)" in page


def test_red_team_an_admin_cannot_invite_themselves_into_a_network(app, client, member_setup, auth):
    """An admin outside a network once read its drafts by inviting their own address."""
    from notes_app.models import OutboxMessage

    admin = member_setup["admin"]
    auth.login(admin)
    members = "/networks/river-network/members"
    refused = post_form(client, members, {"email": admin.email, "role": "facilitator"})
    assert refused.status_code == 422
    assert "cannot invite yourself" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(Invitation)).all() == []
        assert db.session.scalars(db.select(OutboxMessage)).all() == []
    assert client.get("/n/river-network/").status_code == 404


def test_red_team_an_admin_cannot_invite_anyone_into_a_network_that_has_facilitators(
    app, client, member_setup, auth, create_network
):
    """An admin once got into a network's drafts by inviting a second address of their own."""
    from notes_app.models import OutboxMessage

    auth.login(member_setup["admin"])
    refused = post_form(
        client,
        "/networks/river-network/members",
        {"email": "admin+fac@example.org", "role": "facilitator"},
    )
    assert refused.status_code == 422
    assert "The facilitators of River network invite its members" in refused.get_data(as_text=True)
    # A new network with no facilitator yet: the admin invites its first one.
    create_network("new-network", "New network")
    started = post_form(
        client,
        "/networks/new-network/members",
        {"email": "first@example.org", "role": "facilitator"},
    )
    assert started.status_code == 302
    with app.app_context():
        sent = db.session.scalars(db.select(OutboxMessage.recipient)).all()
        assert sent == ["first@example.org"]
    # The facilitators of a network still invite whom they like.
    facilitator = app.test_client()
    post_form(facilitator, "/login", {"email": "fac@example.org", "password": PASSWORD})
    invited = post_form(
        facilitator,
        "/networks/river-network/members",
        {"email": "x@example.org", "role": "member"},
    )
    assert invited.status_code == 302


@pytest.mark.parametrize("name", ["Ada\r\nBcc: evil@example.org", "Ada\u2028Admin", "Ada\x00"])
def test_red_team_a_persons_name_is_one_plain_line(app, client, member_setup, auth, name):
    """Names once carried line breaks into the bodies of the mail the product sends."""
    from notes_app.models import User
    from notes_app.services import accounts
    from notes_app.services.errors import ServiceError

    auth.login(member_setup["member"])
    response = post_form(client, "/account/", {"name": name})
    assert response.status_code == 422
    assert "Names must be on one line" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, member_setup["member"].id).name == "Max Member"
        with pytest.raises(ServiceError, match="Names must be on one line"):
            accounts.create_user("new@example.org", name, None)
