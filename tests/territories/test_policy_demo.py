"""The demo has policy profiles, fictitious, over two years for Montreuil, with its élue in charge."""

import sqlalchemy as sa

from clubess.territories.policy_models import PolicyProfile


def test_the_demo_has_fictitious_profiles_at_several_stages(db):
    from clubess.demo import load_demo
    from clubess.territories.policy_demo import load_policy_profiles

    load_demo()
    profiles = db.session.scalars(sa.select(PolicyProfile).order_by(PolicyProfile.year)).all()
    assert len(profiles) == 4 and all(p.demo for p in profiles)
    assert {p.stage for p in profiles} == {2, 3}
    montreuil = [p for p in profiles if p.collectivity.territory.code == "93048"]
    assert [p.year for p in montreuil] == [2025, 2026] and montreuil[-1].elu.email == "elu@montreuil.example.org"
    load_policy_profiles()  # loading again adds nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PolicyProfile)) == 4
