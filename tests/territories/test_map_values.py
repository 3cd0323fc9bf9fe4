from clubess.territories.figures import map_values
from clubess.territories.models import IndicatorValue


def _figure(db, territory, indicator, year, value, source="Observatoire", demo=False):
    db.session.add(
        IndicatorValue(territory=territory, indicator=indicator, year=year, value=value, source=source, demo=demo)
    )


def test_the_latest_year_of_one_kind_only(db, territories):
    _figure(db, territories["93048"], "emplois_ess", 2021, 100)
    _figure(db, territories["93048"], "emplois_ess", 2022, 120, source="Obs. 2022")
    _figure(db, territories["93070"], "emplois_ess", 2022, 50, source="Obs. 2022", demo=True)
    _figure(db, territories["93"], "emplois_ess", 2023, 9000)  # a département: not a commune
    _figure(db, territories["94038"], "etablissements_employeurs", 2023, 7)  # another indicator
    db.session.commit()

    found = map_values("emplois_ess")

    assert found.year == 2022
    assert found.values == {territories["93048"].id: 120, territories["93070"].id: 50}
    assert found.sources == ["Obs. 2022"]
    assert found.demo is True
    assert map_values("emplois_ess", kind="departement").values == {territories["93"].id: 9000}


def test_no_figures_or_unknown_indicator(db, territories):
    assert map_values("emplois_ess") is None
    assert map_values("pas_un_indicateur") is None
