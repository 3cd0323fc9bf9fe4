"""A confirmation link's lifetime is a retention period too: the mail states the setting the link obeys,
and the unconfirmed request goes (`flask retention run`) once it has expired."""

from datetime import timedelta

from freezegun import freeze_time

from clubess.core.db import now_utc


def test_the_press_subscription_mail_states_the_lifetime_the_link_obeys(client, app, smtp, deliver, odd_periods):
    client.submit(
        "/presse/abonnement",
        {"email": "lectrice@example.org", "name": "Lectrice", "outlet": "Blog ESS", "consent": "y"},
    )
    deliver()
    [mail] = smtp.to("lectrice@example.org")
    assert "valable 2 jours" in smtp.text_of(mail)
    link = smtp.link_path(mail, "/presse/abonnement/")
    with freeze_time(now_utc() + timedelta(days=2, hours=1)):
        response = client.submit(link)
    assert "expiré" in response.get_data(as_text=True)
    with freeze_time(now_utc() + timedelta(days=1, hours=23)):
        assert "Abonnement confirmé" in client.submit(link).get_data(as_text=True)
