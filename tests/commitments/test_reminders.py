"""A week before a meeting, the référents whose commitments are due there get one mail asking for an update."""

import sqlalchemy as sa

from clubess.commitments import services
from clubess.mailing.models import OutboxMessage
from tests.conftest import SmtpServer


def _remind(app) -> str:
    result = app.test_cli_runner().invoke(args=["meetings", "remind"])
    assert result.exit_code == 0, result.output
    return result.output


def _requests(smtp, address):
    return [m for m in smtp.to(address) if "engagements" in m["Subject"]]


def test_one_mail_per_referent_and_meeting_through_the_cron_command(app, db, club, commit, frozen, smtp, deliver):
    c = club
    commit(c.helene.user, c.montreuil, title="Ouvrir un tiers-lieu", responsible_id=c.karim.id, meeting_id=c.s1.id)
    commit(c.helene.user, c.montreuil, title="Voter le SPASER", meeting_id=c.s1.id)
    commit(c.helene.user, c.montreuil, title="Plus tard", meeting_id=c.s1.id, target=(2027, 1))  # not due at S2
    commit(c.sofia.user, c.saint_ouen, title="Recenser les ressourceries", meeting_id=c.s1.id)
    commit(c.coordinator, c.lhay, title="Nommer un élu", responsible_id=c.paul.id, target=(2027, 1))  # not due
    frozen.move_to("2026-12-02 09:00:00")  # S2 is on 10/12 at 09:30 Paris: more than a week ahead
    assert "0 demande(s) de mise à jour des engagements" in _remind(app)
    frozen.move_to("2026-12-03 09:15:00")  # within the week now
    assert "2 demande(s) de mise à jour des engagements" in _remind(app)
    frozen.move_to("2026-12-03 09:30:00")  # the next cron runs: nothing again
    assert "0 demande(s)" in _remind(app)
    frozen.move_to("2026-12-09 09:30:00")
    assert "0 demande(s)" in _remind(app)
    deliver()
    [helene] = _requests(smtp, "helene@montreuil.fr")
    assert helene["Subject"] == "Vos engagements à mettre à jour avant la rencontre du 10 décembre"
    text = SmtpServer.text_of(helene)
    assert "« Rencontre de décembre » aura lieu le jeudi 10 décembre 2026 à 09:30" in text
    assert "- Ouvrir un tiers-lieu — Prévu — en charge : Karim Benali — T4 2026" in text
    assert "Voter le SPASER" in text and "Plus tard" not in text and "ressourceries" not in text
    assert SmtpServer.link_path(helene, "/espace/engagements") == "/espace/engagements"
    assert helene.get_body(preferencelist=("html",)) is not None
    [sofia] = _requests(smtp, "sofia@saint-ouen.fr")
    assert "Recenser les ressourceries" in SmtpServer.text_of(sofia)
    assert _requests(smtp, "paul@lhay.fr") == [] and _requests(smtp, "karim@montreuil.fr") == []


def test_sent_late_but_once_when_the_cron_was_down(app, db, club, commit, frozen, smtp, deliver):
    commit(club.helene.user, club.montreuil, meeting_id=club.s1.id)
    frozen.move_to("2026-12-09 18:00:00")  # the cron was down all week: the eve of the meeting
    assert "1 demande(s)" in _remind(app)
    frozen.move_to("2026-12-10 08:00:00")
    assert "0 demande(s)" in _remind(app)
    frozen.move_to("2026-12-10 09:00:00")  # the meeting has started: too late, and sent anyway
    assert "0 demande(s)" in _remind(app)
    deliver()
    assert len(_requests(smtp, "helene@montreuil.fr")) == 1


def test_no_mail_for_a_cancelled_meeting_nor_once_everything_is_up_to_date(app, db, club, commit, frozen, smtp):
    c = club
    done = commit(c.helene.user, c.montreuil, meeting_id=c.s1.id)
    # a cancelled meeting of the series in the week to come: nothing is followed there
    c.cancelled.starts_at, c.cancelled.ends_at = c.s2.starts_at, c.s2.ends_at
    c.s2.status = "draft"  # and a draft is not announced: no mail for it either
    db.session.commit()
    frozen.move_to("2026-12-05 09:00:00")
    assert "0 demande(s)" in _remind(app)
    c.s2.status = "published"
    services.change_status(c.helene.user, done, "done", "Voté le 1er décembre.")
    db.session.commit()
    assert "0 demande(s)" in _remind(app)  # done: nothing due, no mail
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.category == "commitments.reminder")) == 0


def test_a_referent_no_longer_in_office_gets_nothing(app, db, club, commit, frozen):
    from datetime import date

    commit(club.helene.user, club.montreuil, meeting_id=club.s1.id, responsible_id=club.karim.id)
    club.helene.mandate_end_on = date(2026, 11, 30)
    db.session.commit()
    frozen.move_to("2026-12-05 09:00:00")
    assert "0 demande(s)" in _remind(app)
