"""SIRET numbers: what the directory accepts."""

import pytest

from clubess.actors.siret import is_valid_siret


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000074",  # Luhn-valid
        "732 829 320 00074",  # as people type it
        "35600000000048",  # La Poste: Luhn-valid too
        "35600000049837",  # La Poste: not Luhn-valid, digits add up to 45
    ],
)
def test_valid_siret_numbers_are_accepted(siret):
    assert is_valid_siret(siret)


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000075",  # bad Luhn key
        "7328293200007A",  # a letter
        "٧٣٢٨٢٩٣٢٠٠٠٠٧٤",  # Arabic-Indic digits (str.isdigit() says yes)
        "７３２８２９３２０００７４",  # full-width digits
        "732829320000740",  # too long
        "7328293200007",  # too short
        "35600000049838",  # La Poste's SIREN, neither rule holds
        "",
    ],
)
def test_wrong_siret_numbers_are_refused(siret):
    assert not is_valid_siret(siret)
