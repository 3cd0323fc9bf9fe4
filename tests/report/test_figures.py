"""Each figure of the bilan against the hand count of tests/report/bilan_fixture.py."""

from freezegun import freeze_time

from clubess.report import figures
from tests.report.bilan_fixture import NOW, PRIVATE_TITLE, PUBLIC_TITLE


def _build(year):
    with freeze_time(NOW):
        return figures.build(year)


def test_meetings_held_with_registered_and_present_each_and_in_total(bilan):
    f = _build(2026)
    assert [(m.title, m.day.isoformat(), m.registered, m.present) for m in f.meetings] == [
        (PRIVATE_TITLE, "2026-03-12", 4, 3),
        ("R2", "2026-06-11", 1, 2),
        (PUBLIC_TITLE, "2026-09-20", 0, 0),
    ]
    assert (f.registered, f.present) == (5, 5)


def test_collectivities_involved_by_departement_count_a_member_that_left_and_one_in_two_departements(bilan):
    f = _build(2026)
    assert (f.members, f.came) == (6, 3)
    assert [(d.code, d.members, d.came) for d in f.departments] == [("93", 5, 2), ("94", 2, 1)]


def test_practices_published_in_the_year_by_lever_archived_since_included(bilan):
    f = _build(2026)
    assert f.practices == {"soutien_structures": 1, "achats_responsables": 2}
    assert dict(f.lever_rows)["foncier_tiers_lieux"] == 0
    assert _build(2025).practices == {"soutien_structures": 1}


def test_problems_commitments_documents_and_press(bilan):
    f = _build(2026)
    assert (f.problems_stated, f.problems_answered) == (5, 2)
    assert f.commitments == {"done": 1, "in_progress": 1, "abandoned": 1}
    assert (f.commitments_made, f.commitments_kept) == (3, 1)
    assert f.documents == {"etude": 1, "guide": 1, "support": 1}
    assert f.documents_total == 3
    assert (f.press_sent, f.press_reach, f.press_bounces, f.press_unsubscribes) == (2, 3, 1, 1)


def test_a_year_with_one_member_that_came_to_nothing(bilan):
    f = _build(2024)
    assert (f.members, f.came, f.meetings) == (1, 0, [])
    assert [(d.code, d.members, d.came) for d in f.departments] == [("93", 1, 0)]


def test_an_empty_year_counts_zero_everywhere(bilan):
    f = _build(2023)
    assert f == figures.Figures(year=2023)


def test_the_public_version_drops_the_title_of_members_only_meetings_and_reads_back(bilan):
    f = _build(2026)
    data = figures.public(f)
    assert [m["title"] for m in data["meetings"]] == ["", "", PUBLIC_TITLE]
    back = figures.from_dict(data)
    assert [m.title for m in back.meetings] == ["", "", PUBLIC_TITLE]
    assert back.meetings[0].name == "Rencontre — pour les membres"
    assert (back.registered, back.present, back.departments) == (5, 5, f.departments)
