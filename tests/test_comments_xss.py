"""Hostile comments: whatever a member types, the stored and served HTML has no active content."""

from __future__ import annotations

import re

import pytest

from notes_app.extensions import db
from notes_app.models import Comment, Meeting, User
from notes_app.services import accounts, comments, publishing
from tests.conftest import post_form
from tests.domain.test_rendering import FORBIDDEN_TAGS, assert_inert, parse

# A meeting whose protected terms cannot collide with the payloads.
XSS_NOTES = """---
speakers:
  - handle: tamsin
    name: Tamsin Oyelaran-Hughes
    organisation: Northfold Borough Council
    descriptor: a speaker from local government
---

# Safety first

@tamsin: Hostile input must never run in a reader's browser.

Members discussed sanitising comments.
"""

# Each payload tries to run `alert(1)` or to set `window.__xss`; the browser test watches both.
PAYLOADS = [
    # script and event-handler HTML
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=//evil.invalid/x.js></SCRIPT>",
    '<img src=x onerror="window.__xss=1">',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>open me</details>",
    "<input autofocus onfocus=alert(1)>",
    '<a href="#" onclick="alert(1)">click</a>',
    "<form><button formaction=javascript:alert(1)>go</button></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    # javascript: and data: links, in Markdown and in HTML
    '<a href="javascript:alert(1)">html link</a>',
    "[markdown link](javascript:alert(1))",
    "[mixed case](JaVaScRiPt:alert(1))",
    "[leading space]( javascript:alert(1))",
    "[angle brackets](<javascript:alert(1)>)",
    "[reference][evil]\n\n[evil]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[vbscript](vbscript:msgbox(1))",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">data html</a>',
    "![image](javascript:alert(1))",
    '![image](https://evil.invalid/a.png "t" onerror=alert(1))',
    "[![nested](javascript:alert(1))](javascript:alert(2))",
    '[title](https://evil.invalid "a" onmouseover="alert(1)")',
    'www.evil.invalid/"onmouseover="alert(1)',
    # entity-encoded and obfuscated schemes
    "[decimal](&#106;avascript:alert(1))",
    "[hex](&#x6A;avascript:alert(1))",
    "[tab inside](jav&#x09;ascript:alert(1))",
    "[named colon](javascript&colon;alert(1))",
    "[percent newline](java%0ascript:alert(1))",
    "[zero width](\u200bjavascript:alert(1))",
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    '&#0000112&#0000116&#0000058alert(1)">padded entities</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab entity</a>',
    # SVG and MathML
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">svg link</text></a></svg>',
    '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<math href="javascript:alert(1)">math link</math>',
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>m</maction></math>",
    # mutation XSS
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)"></style></mtext></math>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<select><template><style><img src=x onerror=alert(1)></style></template></select>",
    "before <!--><script>alert(1)</script>--> after",
    "<scr<script>ipt>alert(1)</script>",
    '<img src="x` `<script>alert(1)</script>"` `>',
    "```\n</code></pre><script>alert(1)</script>\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "<template><script>alert(1)</script></template>",
    # CSS
    '<p style="background:url(javascript:alert(1))">css</p>',
    "<style>*{background:url('javascript:alert(1)')}</style>",
    '<div style="width: expression(alert(1))">old css</div>',
    '<link rel="stylesheet" href="javascript:alert(1)">',
]

# Tags no served comment may contain, in the raw HTML (escaped text is fine: it starts "&lt;").
# Attributes are judged on the parsed HTML, by `assert_inert`.
_ACTIVE = re.compile(
    r"<\s*/?\s*(script|svg|math|iframe|object|embed|style|img|link|meta|base|form|input"
    r"|template|noscript|details)\b",
    re.IGNORECASE,
)
_COMMENT_BODY = re.compile(r'<div class="comment-body">(.*?)</div>', re.S)


def test_there_are_at_least_thirty_payloads_of_every_kind():
    assert len(PAYLOADS) >= 30
    joined = "\n".join(PAYLOADS).lower()
    for needle in ("onerror", "javascript:", "data:", "&#", "<svg", "<math", "style", "<noscript"):
        assert needle in joined


def assert_no_active_content(html: str) -> None:
    assert_inert(html)
    assert not _ACTIVE.search(html), html
    for _tag, attrs in parse(html):
        for name, value in attrs.items():
            if name == "href":
                compact = re.sub(r"[\x00-\x20\u200b\ufeff]", "", value or "").lower()
                assert not compact.startswith(("javascript", "data", "vbscript")), html


@pytest.fixture
def xss_meeting(app, member_setup, create_meeting):
    meeting = create_meeting(member_setup["network"], "Safety", notes=XSS_NOTES)
    with app.app_context():
        publication = publishing.publish(
            db.session.get(Meeting, meeting.id), actor_id=None, accept_warnings=True
        )
        db.session.commit()
    return meeting, [item["id"] for item in publication.items]


def store_payloads(app, meeting, user, items: list[str]) -> list[int]:
    """Post every payload through the service, spread over the notes, items and replies."""
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        actor = accounts.actor_for(db.session.get(User, user.id))
        ids: list[int] = []
        for n, payload in enumerate(PAYLOADS):
            if n % 3 == 1 and ids:
                comment = comments.post(row, actor, payload, parent_id=ids[0])
            else:
                comment = comments.post(
                    row, actor, payload, item_id=items[n % len(items)] if n % 3 else None
                )
            ids.append(comment.id)
        db.session.commit()
        return ids


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_comment_is_stored_and_served_without_active_content(
    app, client, auth, member_setup, xss_meeting, payload
):
    meeting, items = xss_meeting
    auth.login(member_setup["member"])
    base = f"/n/river-network/m/{meeting.slug}"
    response = post_form(
        client, f"{base}/comments", {"body": payload, "item_id": items[1]}, page=f"{base}/notes"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        (stored,) = db.session.scalars(db.select(Comment)).all()
    assert stored.body == payload.strip()
    assert_no_active_content(stored.html)
    page = client.get(f"{base}/notes").get_data(as_text=True)
    (served,) = _COMMENT_BODY.findall(page)
    assert served == stored.html
    assert_no_active_content(served)


def test_the_page_with_every_hostile_comment_has_no_active_content(
    app, client, auth, member_setup, xss_meeting
):
    meeting, items = xss_meeting
    ids = store_payloads(app, meeting, member_setup["member"], items)
    auth.login(member_setup["facilitator"])
    page = client.get(f"/n/river-network/m/{meeting.slug}/notes").get_data(as_text=True)
    bodies = _COMMENT_BODY.findall(page)
    assert len(bodies) == len(ids) == len(PAYLOADS)
    for html in bodies:
        assert_no_active_content(html)
    # Outside the comment bodies the page is the product's own markup: no script at all.
    parsed = parse(page)
    tags = {tag for tag, _ in parsed}
    assert not tags & (FORBIDDEN_TAGS - {"form", "input", "button", "textarea", "link", "meta"})
    for _tag, attrs in parsed:
        assert not any(name.startswith("on") or name == "style" for name in attrs), attrs


def test_hostile_edits_are_sanitised_too(app, client, auth, member_setup, xss_meeting):
    meeting, _ = xss_meeting
    ids = store_payloads(app, meeting, member_setup["member"], xss_meeting[1])
    auth.login(member_setup["member"])
    base = f"/n/river-network/m/{meeting.slug}"
    for comment_id, payload in zip(ids, reversed(PAYLOADS), strict=True):
        url = f"{base}/comments/{comment_id}/edit"
        assert post_form(client, url, {"body": payload}).status_code == 302
    with app.app_context():
        for comment in db.session.scalars(db.select(Comment)):
            assert_no_active_content(comment.html)
