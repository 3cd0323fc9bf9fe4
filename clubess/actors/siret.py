"""SIRET numbers: 14 ASCII digits whose Luhn checksum holds (La Poste's establishments follow their own rule)."""

#: La Poste's SIREN: its establishments outnumber what a Luhn key allows, so their SIRETs follow another rule,
#: the sum of their 14 digits is a multiple of 5 (documented with the SIRET's check on fr.wikipedia.org, « SIRET »)
LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siret(text: str) -> str:
    """Spaces and dots people type between groups out (« 123 456 789 00012 »)."""
    return "".join((text or "").split()).replace(".", "")


def is_valid_siret(text: str) -> bool:
    """Exactly 14 ASCII digits (not « ٣ » nor « ３ »), Luhn-valid, or La Poste's rule for its SIRETs."""
    siret = normalise_siret(text)
    if len(siret) != 14 or not siret.isascii() or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN):
        return luhn_ok(siret) or sum(int(c) for c in siret) % 5 == 0
    return luhn_ok(siret)
