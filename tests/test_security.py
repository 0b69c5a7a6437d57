"""The security baseline, route by route: login walls, 404 walls, CSRF, headers."""

import re

import pytest
from flask import Flask

from notes_app.config import Config
from notes_app.web.lifecycle import SECURITY_HEADERS

# Every page behind the login wall, with the method that reaches it.
PROTECTED = [
    ("GET", "/"),
    ("GET", "/account/"),
    ("POST", "/account/feed-token"),
    ("POST", "/account/sessions/end-others"),
    ("GET", "/search"),
    ("POST", "/account/"),
    ("POST", "/account/password"),
    ("GET", "/admin/networks"),
    ("POST", "/admin/networks"),
    ("GET", "/admin/outbox"),
    ("GET", "/admin/outbox/1"),
    ("GET", "/networks/river-network/members"),
    ("POST", "/networks/river-network/members"),
    ("POST", "/networks/river-network/members/1/role"),
    ("POST", "/networks/river-network/members/1/remove"),
    ("POST", "/networks/river-network/invitations/1/revoke"),
    ("GET", "/n/river-network/"),
    ("GET", "/n/river-network/meetings/new"),
    ("GET", "/n/river-network/meetings/import"),
    ("GET", "/n/river-network/m/x/"),
    ("GET", "/n/river-network/m/x/edit"),
    ("GET", "/n/river-network/m/x/draft"),
    ("POST", "/n/river-network/m/x/draft/items"),
    ("GET", "/n/river-network/m/x/draft/items/i"),
    ("POST", "/n/river-network/m/x/draft/items/i/delete"),
    ("POST", "/n/river-network/m/x/draft/items/i/move/up"),
    ("POST", "/n/river-network/m/x/draft/paste"),
    ("GET", "/n/river-network/m/x/draft/export"),
    ("GET", "/n/river-network/m/x/revisions"),
    ("GET", "/n/river-network/m/x/revisions/1"),
    ("GET", "/n/river-network/m/x/revisions/diff"),
    ("POST", "/n/river-network/m/x/revisions/1/restore"),
    ("GET", "/n/river-network/m/x/speakers"),
    ("GET", "/n/river-network/m/x/speakers/1"),
    ("POST", "/n/river-network/m/x/speakers/1/remove"),
    ("GET", "/n/river-network/m/x/preview"),
    ("POST", "/n/river-network/m/x/publish"),
    ("GET", "/n/river-network/m/x/notes"),
    ("GET", "/n/river-network/m/x/notes/print"),
    ("GET", "/n/river-network/m/x/notes.md"),
    ("GET", "/n/river-network/m/x/publications"),
    ("GET", "/n/river-network/m/x/publications/1"),
    ("POST", "/n/river-network/m/x/comments"),
    ("GET", "/n/river-network/m/x/comments/1/edit"),
    ("POST", "/n/river-network/m/x/comments/1/edit"),
    ("GET", "/n/river-network/m/x/comments/1/delete"),
    ("POST", "/n/river-network/m/x/comments/1/delete"),
    ("GET", "/n/river-network/m/x/comments/1/hide"),
    ("POST", "/n/river-network/m/x/comments/1/hide"),
    ("GET", "/n/river-network/m/x/consent"),
    ("POST", "/n/river-network/m/x/consent/requests"),
    ("POST", "/n/river-network/m/x/consent/links/1/revoke"),
    ("GET", "/n/river-network/m/x/consent/speakers/1"),
    ("POST", "/n/river-network/m/x/consent/speakers/1"),
    ("GET", "/account/statements"),
    ("POST", "/account/statements/1"),
]

# Every form that changes something, with a body that would otherwise be accepted.
FORMS = [
    ("/login", {"email": "mem@example.org", "password": "correct horse battery staple"}),
    ("/logout", {}),
    ("/reset", {"email": "mem@example.org"}),
    ("/account/", {"name": "Changed"}),
    ("/account/password", {"pw-current": "x", "pw-password": "y", "pw-confirm": "y"}),
    ("/account/feed-token", {}),
    ("/account/sessions/end-others", {}),
    ("/account/statements/1", {"all": "none"}),
    ("/admin/networks", {"slug": "new-one", "name": "New"}),
    ("/networks/river-network/members", {"email": "x@example.org", "role": "member"}),
    ("/networks/river-network/members/1/role", {"role": "facilitator"}),
    ("/networks/river-network/members/1/remove", {}),
    ("/n/river-network/m/x/comments", {"body": "A comment."}),
    ("/n/river-network/m/x/comments/1/edit", {"body": "An edit."}),
    ("/n/river-network/m/x/comments/1/delete", {}),
    ("/n/river-network/m/x/comments/1/hide", {"reason": "Off topic"}),
]


def all_rules(app: Flask) -> set[str]:
    return {rule.rule for rule in app.url_map.iter_rules()}


def test_the_route_lists_cover_every_route(app):
    covered = {path for _, path in PROTECTED} | {path for path, _ in FORMS}
    public = {
        "/login",
        "/logout",
        "/reset",
        "/reset/<token>",
        "/invitations/<token>",
        "/healthz",
        "/feeds/<token>/<network_slug>.atom",  # no login: a secret token instead
        "/consent/<token>",  # guest speakers: the link's secret token instead
        "/static/<path:filename>",
    }
    for rule in all_rules(app) - public:
        sample = rule.replace("<slug>", "river-network").replace("<int:membership_id>", "1")
        sample = sample.replace("<int:invitation_id>", "1").replace("<int:message_id>", "1")
        sample = sample.replace("<network_slug>", "river-network").replace("<meeting_slug>", "x")
        sample = sample.replace("<item_id>", "i").replace("<direction>", "up")
        sample = sample.replace("<int:number>", "1").replace("<int:speaker_id>", "1")
        sample = sample.replace("<int:version>", "1").replace("<int:link_id>", "1")
        assert sample in covered, f"{rule} is not in the route tables of this test"


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_anonymous_visitors_are_sent_to_login(client, member_setup, method, path):
    response = client.open(path, method=method)
    if method == "POST":
        # The CSRF check runs first and refuses the form outright.
        assert response.status_code == 400
    else:
        assert response.status_code == 302
        assert response.location.startswith("/login?next=")


@pytest.mark.parametrize(("path", "data"), FORMS)
def test_posts_without_a_csrf_token_are_refused(client, member_setup, auth, path, data):
    auth.login(member_setup["admin"])
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200  # still logged in, nothing changed


@pytest.mark.parametrize(
    "path",
    ["/networks/river-network/members", "/admin/networks", "/admin/outbox"],
)
@pytest.mark.parametrize("who", ["member", "outsider"])
def test_management_pages_do_not_exist_for_members_and_outsiders(
    client, member_setup, auth, who, path
):
    auth.login(member_setup[who])
    assert client.get(path).status_code == 404


def test_a_facilitator_cannot_see_another_network(client, member_setup, auth, create_network):
    create_network("other-network", "Other network")
    auth.login(member_setup["facilitator"])
    assert client.get("/networks/river-network/members").status_code == 200
    assert client.get("/networks/other-network/members").status_code == 404
    assert client.get("/networks/no-such-network/members").status_code == 404


def assert_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/login", "/reset", "/no-such-page", "/invitations/bad"])
def test_public_pages_carry_the_security_headers(client, path):
    assert_security_headers(client.get(path))


def test_authenticated_pages_carry_the_security_headers(client, member_setup, auth):
    auth.login(member_setup["admin"])
    for path in [
        "/",
        "/account/",
        "/admin/networks",
        "/admin/outbox",
        "/networks/river-network/members",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)


def test_pages_have_no_inline_script_or_style(client, member_setup, auth):
    auth.login(member_setup["admin"])
    for path in ["/", "/account/", "/admin/networks", "/networks/river-network/members"]:
        html = client.get(path).get_data(as_text=True)
        assert "<script" not in html and "<style" not in html and " style=" not in html
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)


def test_the_500_page_has_headers_and_no_traceback(other_app):
    app = other_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "secret internal detail" not in body and "Traceback" not in body
    assert_security_headers(response)


def test_healthz_answers_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"
    assert "Set-Cookie" not in response.headers


def test_cookies_are_httponly_lax_and_secure_outside_development(monkeypatch, tmp_path):
    monkeypatch.setenv("NOTES_SECRET_KEY", "a key from the environment for this test only")
    monkeypatch.setenv("NOTES_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    config = Config(str(tmp_path))
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE
    assert config.SESSION_COOKIE_HTTPONLY and config.REMEMBER_COOKIE_HTTPONLY
    assert config.SESSION_COOKIE_SAMESITE == "Lax" and not config.DEBUG


def test_login_cookie_flags(client, create_user, auth):
    user = create_user()
    response = auth.login(user)
    cookie = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("notes_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
