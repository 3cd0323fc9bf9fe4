"""One rule for email addresses: what the relay cannot take is refused, the rest is stored in one form."""

import pytest

from clubess.core.emails import InvalidEmail, lookup_key, normalize_email


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Helene@Montreuil.FR ", "helene@montreuil.fr"),
        ("zoe@exemplé.fr", "zoe@xn--exempl-gva.fr"),  # an internationalised domain, in the form relays take
        ("ZOE@EXEMPLÉ.FR", "zoe@xn--exempl-gva.fr"),
        ("prenom.nom+ess@sous.domaine.example.org", "prenom.nom+ess@sous.domaine.example.org"),
    ],
)
def test_addresses_are_trimmed_lowered_and_their_domain_written_in_ascii(app_ctx, typed, stored):
    assert normalize_email(typed) == stored
    assert lookup_key(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("zoé@exemple.fr", "sans accent avant le « @ »"),
        ("иван@пример.рф", "sans accent avant le « @ »"),
        ("pas-une-adresse", "par exemple nom@commune.fr"),
        ("a@@example.org", "par exemple nom@commune.fr"),
        ("a@localhost", "par exemple nom@commune.fr"),
        ('"a b"@example.org', "par exemple nom@commune.fr"),
        ("a" * 65 + "@example.org", "trop longue"),
        ("a@" + "b" * 300 + ".fr", "trop longue"),
        ("a" * 100_000 + "@example.org", "trop longue"),
        ("", "par exemple nom@commune.fr"),
    ],
)
def test_what_the_relay_cannot_take_is_refused_with_a_clear_message(app_ctx, typed, says):
    with pytest.raises(InvalidEmail) as refused:
        normalize_email(typed)
    assert says in str(refused.value.message)


def test_a_lookup_never_fails_on_text_that_is_not_an_address(app_ctx):
    assert lookup_key(" Zoé@Exemple.fr ") == "zoé@exemple.fr"
    assert lookup_key(None) == ""
