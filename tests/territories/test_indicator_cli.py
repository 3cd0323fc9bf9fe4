"""`flask indicators import FILE [--dry-run]`: the report printed, a non-zero exit code and nothing written on any
problem, nothing written on a dry run."""

import sqlalchemy as sa

from clubess.territories.models import IndicatorValue

CSV = "territoire;annee;indicateur;valeur;source\n93048;2023;emplois_ess;1100;Obs\n93;2023;emplois_ess;9000;Obs\n"


def _count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue))


def test_the_command_imports_and_says_what_it_did(app, db, territories, tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(CSV, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["indicators", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 figures read: 2 were new, 0 were replaced, 0 unchanged." in result.output
    assert _count(db) == 2
    path.write_text(CSV.replace("1100", "1200"), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["indicators", "import", str(path)])
    assert "Montreuil, Emplois salariés de l'ESS, 2023: 1100 → 1200" in result.output
    assert "0 were new, 1 were replaced, 1 unchanged." in result.output


def test_a_dry_run_writes_nothing(app, db, territories, tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(CSV, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["indicators", "import", str(path), "--dry-run"])
    assert result.exit_code == 0
    assert "2 would be new" in result.output and "Dry run: nothing written." in result.output
    assert _count(db) == 0


def test_problems_are_printed_by_line_and_nothing_is_written(app, db, territories, tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(CSV + "93048;2023;emplois_ess;x;Obs\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["indicators", "import", str(path)])
    assert result.exit_code == 1
    assert "ligne 4, colonne « valeur » : « x » n’est pas un nombre" in result.output
    assert "ligne 4 : doublon" not in result.output  # a line is reported once, for its first problem kind
    assert "1 problem(s): nothing imported." in result.output
    assert _count(db) == 0
