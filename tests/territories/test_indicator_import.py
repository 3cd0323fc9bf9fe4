"""The indicators import: every problem reported with its line and column, nothing half-imported, figures already
loaded replaced and counted."""

import sqlalchemy as sa

from clubess.core.audit import AuditEvent
from clubess.core.timezone import today
from clubess.territories.indicator_import import import_figures, parse
from clubess.territories.indicator_values import CellError, parse_value
from clubess.territories.models import IndicatorValue

GOOD = (
    "territoire;annee;indicateur;valeur;source\n"
    "93048;2022;emplois_ess;1 234;Observatoire régional\n"
    "93048;2022;part_ess_emploi_prive;12,5 %;Observatoire régional\n"
    "93;2023;etablissements_employeurs;4567;Observatoire régional\n"
)


def _figures(db) -> list[tuple]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(IndicatorValue.territory_id, IndicatorValue.indicator, IndicatorValue.year, IndicatorValue.value)
    ).all()
    return sorted(tuple(r) for r in rows)


def _problems(content: str) -> list[tuple[int, str, str]]:
    return [(p.line, p.column, p.message) for p in parse(content.encode()).problems]


def test_a_good_file_is_imported_with_its_source_and_importer(db, territories, coordinator):
    report = import_figures(coordinator, GOOD.encode(), "obs.csv")
    db.session.commit()
    assert report.ok and report.counts() == {"created": 3, "replaced": 0, "unchanged": 0}
    rows = db.session.scalars(sa.select(IndicatorValue).order_by(IndicatorValue.id)).all()
    assert [(r.territory.code, r.indicator, r.year, r.value) for r in rows] == [
        ("93048", "emplois_ess", 2022, 1234),
        ("93048", "part_ess_emploi_prive", 2022, 12.5),
        ("93", "etablissements_employeurs", 2023, 4567),
    ]
    assert {r.source for r in rows} == {"Observatoire régional"}
    assert {r.imported_by_id for r in rows} == {coordinator.id} and not any(r.demo for r in rows)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "indicators.imported"))
    assert event.details == {"filename": "obs.csv", "figures_new": 3, "figures_replaced": 0, "figures_unchanged": 0}


def test_english_header_comma_separator_and_bom(db, territories):
    content = (
        "\ufeffterritory_code,year,indicator,value,source\n"
        '93070,2023,emplois_ess,"1,234.5",Observatory\n'
        "94038,2023,part_ess_emploi_prive,7.25,Observatory\n"
    )
    report = import_figures(None, content.encode(), "en.csv")
    assert report.ok, report.problems
    assert sorted(f.value for f in report.figures) == [7.25, 1234.5]


def test_each_kind_of_problem_is_reported_with_its_line_and_column(db, territories):
    next_year = today().year + 1
    content = (
        "territoire;annee;indicateur;valeur;source\n"
        "99999;2022;emplois_ess;10;Obs\n"  # 2
        "93048;2022;emplois_inventes;10;Obs\n"  # 3
        "93048;2022;emplois_ess;douze;Obs\n"  # 4
        f"93048;{next_year + 1};emplois_ess;10;Obs\n"  # 5
        "93048;1989;emplois_ess;10;Obs\n"  # 6
        "\n"  # 7: empty, skipped
        "93048;2022;emplois_ess;10;Obs\n"  # 8
        "93048;2022;emplois_ess;11;Obs\n"  # 9: the same figure again
        "93048;2022;part_ess_emploi_prive;101 %;Obs\n"  # 10
        "93048;2022;emplois_ess;-5;Obs\n"  # 11
        "93048;2022;emplois_ess;NaN;Obs\n"  # 12
        "93048;2022;emplois_ess;inf;Obs\n"  # 13
        "93048;2022;emplois_ess;١٢;Obs\n"  # 14: Arabic-Indic digits
        "93048;2022;emplois_ess;1e12;Obs\n"  # 15
        "93048;2022;emplois_ess;99999999999;Obs\n"  # 16
        "93048;2022;emplois_ess;12 %;Obs\n"  # 17: a % on a count
        "93048;2021;emplois_ess;12;\n"  # 18: no source
        ";2021;emplois_ess;12;Obs\n"  # 19: no code
    )
    problems = _problems(content)
    assert [(line, column) for line, column, _ in problems] == [
        (2, "territoire"),
        (3, "indicateur"),
        (4, "valeur"),
        (5, "annee"),
        (6, "annee"),
        (9, ""),
        (10, "valeur"),
        (11, "valeur"),
        (12, "valeur"),
        (13, "valeur"),
        (14, "valeur"),
        (15, "valeur"),
        (16, "valeur"),
        (17, "valeur"),
        (18, "source"),
        (19, "territoire"),
    ]
    messages = dict(((line, column), message) for line, column, message in problems)
    assert messages[(2, "territoire")] == "territoire « 99999 » inconnu"
    assert messages[(3, "indicateur")] == "indicateur « emplois_inventes » inconnu"
    assert messages[(4, "valeur")] == "« douze » n’est pas un nombre"
    assert messages[(9, "")] == "doublon : le même territoire, indicateur et année qu’à la ligne 8"
    assert messages[(10, "valeur")] == "une part ne dépasse pas 100 % : « 101 % »"
    assert messages[(11, "valeur")] == "valeur négative : « -5 »"
    assert "entre 1990 et" in messages[(6, "annee")]
    assert messages[(17, "valeur")] == "un signe « % » pour un indicateur qui n’est pas une part"


def test_the_file_s_shape_is_reported(db, territories):
    assert _problems("") == [(1, "", "le fichier est vide")]
    assert _problems("territoire;annee;valeur\n93048;2022;10\n") == [
        (
            1,
            "",
            "colonnes manquantes : indicateur, source (la première ligne doit nommer "
            "territoire;annee;indicateur;valeur;source)",
        )
    ]
    assert _problems("territoire;annee;indicateur;valeur;source\n") == [
        (2, "", "le fichier ne contient aucun chiffre après la ligne d’en-tête")
    ]
    assert _problems("territoire;annee\n".encode("utf-16").decode("latin-1"))[0][0] == 1
    assert parse("t\xe9rritoire;annee\n".encode("cp1252")).problems[0].message.startswith("le fichier n’est pas en")


def test_a_quoted_cell_over_two_lines_keeps_the_following_line_numbers(db, territories):
    content = (
        "territoire;annee;indicateur;valeur;source\n"
        '93048;2022;emplois_ess;10;"Observatoire\nrégional"\n'  # lines 2-3
        "93048;2022;pas_un_indicateur;10;Obs\n"  # line 4
    )
    assert [(line, column) for line, column, _ in _problems(content)] == [(4, "indicateur")]


def test_one_error_and_nothing_is_written(db, territories, coordinator):
    content = GOOD + "93048;2022;emplois_ess;beaucoup;Obs\n"
    report = import_figures(coordinator, content.encode(), "obs.csv")
    db.session.commit()
    assert [(p.line, p.column) for p in report.problems] == [(5, "valeur")]
    assert _figures(db) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


def test_figures_already_loaded_are_replaced_and_counted(db, territories, coordinator):
    import_figures(coordinator, GOOD.encode(), "2022.csv")
    db.session.commit()
    again = (
        "territoire;annee;indicateur;valeur;source\n"
        "93048;2022;emplois_ess;1300;Observatoire régional\n"  # replaces 1234
        "93048;2022;part_ess_emploi_prive;12,5;Observatoire régional\n"  # the same
        "93070;2022;emplois_ess;50;Observatoire régional\n"  # new
    )
    report = import_figures(coordinator, again.encode(), "2022-bis.csv")
    db.session.commit()
    assert report.counts() == {"created": 1, "replaced": 1, "unchanged": 1}
    assert [(e.territory_name, e.year, e.old, e.new) for e in report.examples] == [("Montreuil", 2022, 1234, 1300)]
    montreuil, saint_ouen, dept = territories["93048"].id, territories["93070"].id, territories["93"].id
    assert _figures(db) == [
        (dept, "etablissements_employeurs", 2023, 4567),
        (montreuil, "emplois_ess", 2022, 1300),
        (montreuil, "part_ess_emploi_prive", 2022, 12.5),
        (saint_ouen, "emplois_ess", 2022, 50),
    ]


def test_the_kind_column_picks_a_territory_when_a_code_is_shared(db, territories):
    from clubess.members.models import Territory

    # a commune whose code is also a département's (made up: the real codes never collide in Île-de-France)
    db.session.add(Territory(code="93", kind="commune", name="Homonyme", search_name="homonyme"))
    db.session.commit()
    content = (
        "territoire;annee;indicateur;valeur;source;type\n"
        "93;2022;emplois_ess;10;Obs;\n"
        "93;2022;emplois_ess;10;Obs;Département\n"
    )
    report = parse(content.encode())
    assert [(p.line, p.column) for p in report.problems] == [(2, "territoire")]
    assert "précisez la colonne type" in report.problems[0].message
    assert [f.territory_id for f in report.figures] == [territories["93"].id]
    assert _problems("territoire;annee;indicateur;valeur;source;type\n93;2022;emplois_ess;10;Obs;canton\n")[0][:2] == (
        2,
        "type",
    )


def test_codes_keep_their_leading_zeros_and_control_characters_are_harmless(db, territories):
    problems = _problems("territoire;annee;indicateur;valeur;source\n093048;2022;emplois_ess;10;Obs\x00\x1b\n")
    assert problems == [(2, "territoire", "territoire « 093048 » inconnu")]


def test_values_in_french_and_english_writing():
    assert parse_value("12,5", "count") == 12.5
    assert parse_value("12.5", "count") == 12.5
    assert parse_value("1 234", "count") == 1234
    assert parse_value("1\u00a0234\u202f567", "count") == 1234567
    assert parse_value("1.234,5", "count") == 1234.5
    assert parse_value("1,234,567", "count") == 1234567
    assert parse_value("12,5 %", "percent") == 12.5
    assert parse_value("100", "percent") == 100
    for bad in ("", "12,5,3", "1.2.3,4,5", "0x10", "+5", "12..5", "½", "²", "1_000", "nan", "Infinity", "1" * 50):
        try:
            parse_value(bad, "count")
        except CellError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
