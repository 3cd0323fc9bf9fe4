"""Attendance in one screen: present or absent for everyone in one POST, once the meeting has started; walk-ins."""

import re

import sqlalchemy as sa

from clubess.core.audit import AuditEvent
from clubess.mailing.models import OutboxMessage
from clubess.meetings.models import Registration
from tests.pages import get_page

PAST = (2026, 9, 17)


def register(db, meeting, member, status="registered", mode="presentiel", **kwargs):
    from clubess.meetings.registrations import as_member

    registration = Registration(meeting=meeting, email=member.email, status=status, mode=mode, **kwargs)
    as_member(registration, member)
    db.session.add(registration)
    db.session.commit()
    return registration


def url(meeting) -> str:
    return f"/coordination/rencontres/{meeting.id}/presences"


def attendance_of(db, meeting) -> dict[str, str]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Registration).where(Registration.meeting_id == meeting.id))
    return {r.name: r.attendance for r in rows}


def seen(page: str) -> str:
    return re.search(r'name="vu" value="([^"]*)"', page).group(1)


def checked(page: str) -> dict[int, str]:
    return {int(rid): value for rid, value in re.findall(r'name="presence-(\d+)" value="(\w+)" checked', page)}


def test_attendance_is_not_recorded_before_the_meeting_starts(client, db, people, make_meeting, coordinator):
    meeting = make_meeting()  # June 2027
    helene = register(db, meeting, people["helene"])
    client.login(coordinator.email)

    page = get_page(client, url(meeting)).get_data(as_text=True)
    assert "La présence se relève une fois la rencontre commencée." in page
    assert 'id="attendance-form"' not in page
    assert "Feuille d’émargement" in page  # printed beforehand
    response = client.submit(url(meeting), {f"presence-{helene.id}": "present", "vu": ""}, form_url=url(meeting))
    assert response.status_code == 200
    assert "La présence se relève une fois la rencontre commencée." in response.get_data(as_text=True)
    assert attendance_of(db, meeting) == {"Hélène Durand": "unknown"}


def test_one_post_records_everyone_and_the_page_shows_it_again(client, db, people, make_meeting, coordinator):
    meeting = make_meeting(day=PAST)
    regs = {name: register(db, meeting, people[name]) for name in ("helene", "karim", "sofia", "paul")}
    register(db, meeting, people["leo"], status="waitlisted")
    client.login(coordinator.email)

    page = get_page(client, url(meeting)).get_data(as_text=True)
    # the registered people only, grouped by collectivity (L'Haÿ, Montreuil, Saint-Ouen), then by name
    order = [m for m in re.findall(r'<th scope="row">([^<]+)', page)]
    assert order == ["Paul Roux", "Karim Benali", "Hélène Durand", "Sofia Martin"]
    assert "Léo Petit" not in page
    assert set(checked(page).values()) == {"unknown"}

    marks = {
        f"presence-{regs['helene'].id}": "present",
        f"presence-{regs['karim'].id}": "absent",
        f"presence-{regs['sofia'].id}": "present",
        f"presence-{regs['paul'].id}": "unknown",
    }
    response = client.submit(url(meeting), {**marks, "vu": seen(page)})
    assert response.status_code == 302
    flashed = get_page(client, url(meeting)).get_data(as_text=True)
    assert "Présences enregistrées : 1 personne marquée absente, 2 personnes marquées présentes." in flashed
    assert attendance_of(db, meeting) == {
        "Hélène Durand": "present",
        "Karim Benali": "absent",
        "Sofia Martin": "present",
        "Paul Roux": "unknown",
        "Léo Petit": "unknown",
    }
    again = get_page(client, url(meeting)).get_data(as_text=True)
    assert checked(again)[regs["karim"].id] == "absent" and checked(again)[regs["helene"].id] == "present"
    assert "Présent·es : 2" in again and "Absent·es : 1" in again and "Présence non renseignée : 1" in again
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "meeting.attendance_recorded"))
    assert event.details == {"present": 2, "absent": 1} and event.actor_label == coordinator.email


def test_mark_all_present_ticks_everyone_without_saving_and_works_without_javascript(
    client, db, people, make_meeting, coordinator
):
    meeting = make_meeting(day=PAST)
    regs = [register(db, meeting, people[n]) for n in ("helene", "karim", "sofia")]
    client.login(coordinator.email)

    page = get_page(client, url(meeting) + "?tous=present").get_data(as_text=True)
    assert set(checked(page).values()) == {"present"} and len(checked(page)) == 3
    assert "Tout le monde est coché présent·e" in page
    assert attendance_of(db, meeting) == {r.name: "unknown" for r in regs}  # nothing saved by the link
    marks = {f"presence-{r.id}": "present" for r in regs} | {f"presence-{regs[1].id}": "absent"}
    client.submit(url(meeting), {**marks, "vu": seen(page)})
    assert attendance_of(db, meeting) == {
        "Hélène Durand": "present",
        "Karim Benali": "absent",
        "Sofia Martin": "present",
    }


def test_saving_leaves_alone_the_rows_another_coordinator_changed_meanwhile(
    client, db, people, make_meeting, coordinator
):
    meeting = make_meeting(day=PAST)
    helene, karim = register(db, meeting, people["helene"]), register(db, meeting, people["karim"])
    client.login(coordinator.email)
    page = get_page(client, url(meeting)).get_data(as_text=True)
    karim.attendance = "present"  # a colleague ticked Karim in the meantime
    db.session.commit()

    client.submit(
        url(meeting), {f"presence-{helene.id}": "absent", f"presence-{karim.id}": "unknown", "vu": seen(page)}
    )
    assert attendance_of(db, meeting) == {"Hélène Durand": "absent", "Karim Benali": "present"}


def test_a_forged_mark_or_a_registration_of_another_meeting_stores_nothing(
    client, db, people, make_meeting, coordinator
):
    meeting, other = make_meeting(day=PAST), make_meeting(day=(2026, 10, 1), title="Autre")
    helene = register(db, meeting, people["helene"])
    stranger = register(db, other, people["karim"])
    waiting = register(db, meeting, people["sofia"], status="waitlisted")
    client.login(coordinator.email)

    for marks, message in (
        ({f"presence-{helene.id}": "present", f"presence-{stranger.id}": "present"}, "La liste a changé"),
        ({f"presence-{helene.id}": "present", f"presence-{waiting.id}": "present"}, "La liste a changé"),
        ({f"presence-{helene.id}": "peut-être"}, "n’est pas une valeur connue"),
        ({f"presence-{helene.id}": "present", "presence-abc": "present"}, "ne désigne personne"),
    ):
        response = client.submit(url(meeting), {**marks, "vu": ""}, form_url=url(meeting))
        assert response.status_code == 200 and message in response.get_data(as_text=True)
        assert attendance_of(db, meeting) == {"Hélène Durand": "unknown", "Sofia Martin": "unknown"}
        assert attendance_of(db, other) == {"Karim Benali": "unknown"}
    # the refused marks are still ticked on the page shown again
    response = client.submit(
        url(meeting), {f"presence-{helene.id}": "absent", f"presence-{waiting.id}": "present", "vu": ""}
    )
    assert checked(response.get_data(as_text=True))[helene.id] == "absent"


def test_mark_as_held_is_offered_once_attendance_is_saved(client, db, people, make_meeting, coordinator):
    meeting = make_meeting(day=PAST)
    helene = register(db, meeting, people["helene"])
    client.login(coordinator.email)
    page = get_page(client, url(meeting)).get_data(as_text=True)
    assert 'id="mark-held"' not in page
    client.submit(url(meeting), {f"presence-{helene.id}": "present", "vu": seen(page)})
    page = get_page(client, url(meeting)).get_data(as_text=True)
    assert 'id="mark-held"' in page
    response = client.submit(
        f"/coordination/rencontres/{meeting.id}/statut",
        {"status-status": "held", "status": "held"},
        form_url=url(meeting),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(meeting), meeting.id).status == "held"
    assert "La rencontre est marquée comme tenue" in get_page(client, url(meeting)).get_data(as_text=True)


def test_a_meeting_that_has_not_started_cannot_be_marked_held(client, db, people, make_meeting, coordinator):
    meeting = make_meeting()  # June 2027: the existing rule stays
    client.login(coordinator.email)
    client.submit(f"/coordination/rencontres/{meeting.id}/statut", {"status": "held"}, form_url=url(meeting))
    db.session.expire_all()
    assert db.session.get(type(meeting), meeting.id).status == "published"


def test_attendance_page_is_for_coordinators_only(client, db, people, make_meeting):
    meeting = make_meeting(day=PAST)
    helene = register(db, meeting, people["helene"])
    assert client.get(url(meeting)).status_code == 302  # to the login page
    client.login("helene@montreuil.fr")
    assert client.get(url(meeting)).status_code == 403
    response = client.submit(url(meeting), {f"presence-{helene.id}": "present", "vu": ""}, form_url="/espace")
    assert response.status_code == 403
    assert attendance_of(db, meeting) == {"Hélène Durand": "unknown"}


def test_the_attendance_page_runs_the_same_queries_for_3_or_60_registrants(
    client, db, people, make_meeting, coordinator, count_queries, territories
):
    from clubess.members.models import Member

    small, large = make_meeting(day=PAST), make_meeting(day=(2026, 10, 1), title="Grande")
    for name in ("helene", "karim"):
        register(db, small, people[name])
    register(db, small, people["leo"], on_behalf_of_id=people["sofia"].id)
    register(db, small, people["paul"], attendance="present", is_walk_in=True)
    collectivity = people["paul"].collectivity
    for i in range(60):
        member = Member(
            collectivity=collectivity, kind="agent", first_name=f"Agent{i}", last_name="Test", email=f"a{i}@x.fr"
        )
        db.session.add(member)
        db.session.flush()
        register(db, large, member, on_behalf_of_id=people["paul"].id if i == 0 else None)
    register(db, large, people["helene"], attendance="present", is_walk_in=True)
    client.login(coordinator.email)
    small_url, large_url = url(small), url(large)
    client.get(small_url)
    with count_queries() as few:
        assert client.get(small_url).status_code == 200
    with count_queries() as many:
        assert client.get(large_url).status_code == 200
    assert many.count == few.count <= 12, many.statements


def test_a_member_of_the_directory_who_walked_in_counts_as_present_holds_no_seat_and_gets_no_mail(
    client, db, people, make_meeting, coordinator, app
):
    meeting = make_meeting(day=PAST, capacity=1)
    register(db, meeting, people["helene"])
    client.login(coordinator.email)

    found = get_page(client, url(meeting) + "?personne=saint-ouen").get_data(as_text=True)
    assert "Sofia Martin — Saint-Ouen-sur-Seine" in found and "Léo Petit" in found and "Hélène Durand —" not in found
    assert "Sofia Martin" in get_page(client, url(meeting) + "?personne=sofia mart").get_data(as_text=True)
    assert "Hélène Durand —" in get_page(client, url(meeting) + "?personne=helene").get_data(as_text=True)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    response = client.submit(f"{url(meeting)}/membre", {"membre-member_id": people["sofia"].id}, form_url=url(meeting))
    assert response.status_code == 302
    page = get_page(client, url(meeting)).get_data(as_text=True)
    assert "Sofia Martin est noté·e présent·e, venu·e sans inscription." in page
    assert "(dont 1 venue sans inscription)" in page

    db.session.expire_all()
    sofia = db.session.scalar(sa.select(Registration).where(Registration.member_id == people["sofia"].id))
    assert (sofia.status, sofia.attendance, sofia.is_walk_in, sofia.collectivity_id) == (
        "registered",
        "present",
        True,
        people["sofia"].collectivity_id,
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == before
    from clubess.meetings import seats
    from clubess.meetings.figures import registrant_figures

    assert seats.seats_taken(meeting) == 1  # Hélène's seat only: the capacity of 1 is not overrun
    figures = registrant_figures(meeting)
    assert (figures.by_status["registered"], figures.walk_ins, figures.seats_left) == (1, 1, 0)
    registrants = get_page(client, f"/coordination/rencontres/{meeting.id}/inscrits").get_data(as_text=True)
    assert "venu·e sans inscription" in registrants and "Venues sans inscription : 1 (hors jauge)" in registrants
    csv_text = client.get(f"/coordination/rencontres/{meeting.id}/inscrits?format=csv").get_data(as_text=True)
    assert "venu·e sans inscription" in csv_text.splitlines()[0]
    sofia_line = next(line for line in csv_text.splitlines() if line.startswith("Sofia Martin"))
    assert ";oui;" in sofia_line
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "meeting.walk_in_added"))
    assert event.details == {"meeting": meeting.id, "member": people["sofia"].id}


def test_walk_ins_without_an_address_and_a_refused_one_keep_what_was_typed(
    client, db, people, make_meeting, coordinator
):
    meeting = make_meeting(day=PAST)
    register(db, meeting, people["helene"])
    client.login(coordinator.email)
    add = f"{url(meeting)}/sans-inscription"
    for name, organisation in (("Zoé Lefèvre", "Régie de quartier"), ("Œdipe N’Diaye", "")):
        response = client.submit(add, {"venu-name": name, "venu-organisation": organisation}, form_url=url(meeting))
        assert response.status_code == 302
    refused = client.submit(
        add,
        {"venu-name": "Ana López", "venu-organisation": "Asso du coin", "venu-email": "pas une adresse"},
        form_url=url(meeting),
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'value="Ana López"' in page and 'value="Asso du coin"' in page
    taken = client.submit(
        add, {"venu-name": "Quelqu’un", "venu-email": "HELENE@montreuil.fr"}, form_url=url(meeting)
    ).get_data(as_text=True)
    assert "Quelqu’un est inscrit·e : cochez sa présence dans la liste." in taken

    walk_ins = db.session.scalars(sa.select(Registration).where(Registration.is_walk_in.is_(True))).all()
    assert sorted((r.name, r.organisation, r.email, r.is_guest, r.attendance) for r in walk_ins) == [
        ("Zoé Lefèvre", "Régie de quartier", None, True, "present"),
        ("Œdipe N’Diaye", "", None, True, "present"),
    ]
    page = get_page(client, url(meeting)).get_data(as_text=True)
    assert "Zoé Lefèvre — Régie de quartier" in page and "(dont 2 venues sans inscription)" in page
    # a mistake is undone: the row no longer counts as present, and can come back
    zoe = next(r for r in walk_ins if r.name == "Zoé Lefèvre")
    client.submit(f"{url(meeting)}/{zoe.id}/retirer", {}, form_url=url(meeting))
    assert attendance_of(db, meeting)["Zoé Lefèvre"] == "unknown"
    assert "(dont 1 venue sans inscription)" in get_page(client, url(meeting)).get_data(as_text=True)
    assert client.submit(f"{url(meeting)}/{zoe.id}/retirer", {}, form_url=url(meeting)).status_code == 302
    helene = db.session.scalar(sa.select(Registration).where(Registration.name == "Hélène Durand"))
    assert client.submit(f"{url(meeting)}/{helene.id}/retirer", {}, form_url=url(meeting)).status_code == 404


def test_a_person_on_the_waiting_list_who_came_anyway_becomes_a_walk_in(client, db, people, make_meeting, coordinator):
    meeting = make_meeting(day=PAST)
    waiting = register(db, meeting, people["karim"], status="waitlisted")
    register(db, meeting, people["helene"])
    client.login(coordinator.email)
    client.submit(f"{url(meeting)}/membre", {"membre-member_id": people["karim"].id}, form_url=url(meeting))
    db.session.expire_all()
    row = db.session.get(Registration, waiting.id)
    assert (row.status, row.attendance, row.is_walk_in) == ("registered", "present", True)
    again = client.submit(f"{url(meeting)}/membre", {"membre-member_id": people["karim"].id}, form_url=url(meeting))
    assert "Karim Benali est déjà noté·e comme venu·e sans inscription." in client.get(again.location).get_data(
        as_text=True
    )
    registered = client.submit(
        f"{url(meeting)}/membre", {"membre-member_id": people["helene"].id}, form_url=url(meeting)
    )
    assert "Hélène Durand est inscrit·e : cochez sa présence dans la liste." in client.get(
        registered.location
    ).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 2


def test_walk_ins_are_told_nothing_of_a_later_change_or_cancellation(db, people, make_meeting, coordinator, app):
    from clubess.meetings.cancellation import people_told
    from clubess.meetings.notifications import update_recipients

    meeting = make_meeting(day=PAST)
    register(db, meeting, people["helene"])
    register(db, meeting, people["sofia"], attendance="present", is_walk_in=True)
    with app.test_request_context():
        assert [t.email for t in people_told(meeting)] == ["helene@montreuil.fr"]
        assert [email for email, _n, _p in update_recipients(meeting)] == ["helene@montreuil.fr"]


def test_a_walk_in_is_not_cancelled_from_the_registrants_page(client, db, people, make_meeting, coordinator):
    meeting = make_meeting(day=PAST)
    walk_in = register(db, meeting, people["sofia"], attendance="present", is_walk_in=True)
    client.login(coordinator.email)
    page = get_page(client, f"/coordination/rencontres/{meeting.id}/inscrits").get_data(as_text=True)
    assert f"/coordination/inscriptions/{walk_in.id}/retirer" not in page
    response = client.confirm(f"/coordination/inscriptions/{walk_in.id}/retirer")
    assert response.status_code == 302
    assert "se retire depuis la page des présences" in client.get(response.location).get_data(as_text=True)
    assert attendance_of(db, meeting) == {"Sofia Martin": "present"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_the_demo_s_held_meetings_have_attendance_and_walk_ins_consistent_with_registrations(client, db, app):
    from clubess.demo import load_demo
    from clubess.meetings.models import Meeting

    load_demo()
    db.session.commit()
    held = db.session.scalars(sa.select(Meeting).where(Meeting.status == "held")).all()
    assert held
    for meeting in held:
        rows = db.session.scalars(sa.select(Registration).where(Registration.meeting_id == meeting.id)).all()
        marks = {r.attendance for r in rows}
        assert marks == {"present", "absent"}, meeting.title
        walk_ins = [r for r in rows if r.is_walk_in]
        assert len(walk_ins) == 2 and all(r.attendance == "present" and r.status == "registered" for r in walk_ins)
        assert {r.member_id is None for r in walk_ins} == {True, False}
        assert all(r.attendance != "unknown" for r in rows if r.status == "registered")
    client.login("coordination@club-ess.example.org", "demo-clubess-2026")
    page = get_page(client, "/coordination/participation?annee=2026").get_data(as_text=True)
    n = len(held)  # the demo's held meetings are those of 2026, the published ones are in 2027
    assert (f"{n} rencontre tenue" if n == 1 else f"{n} rencontres tenues") in page
    assert "sont venues au moins une fois" in page
    sheet = get_page(client, url(held[0])).get_data(as_text=True)
    assert "Nadia Benkhelifa — Régie de quartier de Saint-Denis" in sheet


def test_the_directory_search_says_who_is_already_in_the_list_instead_of_offering_to_add_them(
    client, db, people, make_meeting, coordinator
):
    meeting = make_meeting(day=PAST)
    register(db, meeting, people["leo"])
    client.login(coordinator.email)
    page = get_page(client, url(meeting) + "?personne=saint ouen").get_data(as_text=True)
    results = page[page.index('id="member-results"') :]
    sofia, leo = results.index("Sofia Martin"), results.index("Léo Petit")
    assert "Ajouter comme présent·e" in results[sofia : sofia + 400]
    assert "déjà dans la liste ci-dessus" in results[leo : leo + 400]
    assert f'name="membre-member_id" value="{people["leo"].id}"' not in results


def test_pages_that_match_registrations_by_address_work_with_a_walk_in_who_gave_none(
    client, db, people, make_meeting, coordinator
):
    from clubess.meetings.models import Invitation

    meeting = make_meeting(day=PAST)
    register(db, meeting, people["helene"])
    db.session.add(Invitation(meeting=meeting, email="paul@lhay.fr", name="Paul Roux"))
    db.session.add(
        Registration(meeting=meeting, name="Zoé Lefèvre", status="registered", attendance="present", is_walk_in=True)
    )
    db.session.commit()
    client.login(coordinator.email)
    base = f"/coordination/rencontres/{meeting.id}"
    assert "Paul Roux" in get_page(client, f"{base}/invitations").get_data(as_text=True)
    preview = client.submit(f"{base}/inviter", {"use_members": "y", "people": "all"})
    assert preview.status_code == 200
    assert "Zoé Lefèvre" in get_page(client, f"{base}/inscrits").get_data(as_text=True)
    assert ";Zoé Lefèvre;" in ";" + client.get(f"{base}/inscrits?format=csv").get_data(as_text=True).replace("\n", ";")


def test_hostile_values_in_every_field_of_the_attendance_page_never_break_it(
    client, db, people, make_meeting, coordinator
):
    from tests.sweep import HOSTILE

    meeting = make_meeting(day=PAST)
    helene = register(db, meeting, people["helene"])
    client.login(coordinator.email)
    base = url(meeting)
    for value in HOSTILE:
        responses = [
            client.get(base, query_string={"personne": value, "tous": value}),
            client.submit(base, {f"presence-{helene.id}": value, "vu": value}, form_url=base),
            client.submit(base, {f"presence-{value}": "present", "vu": f"{helene.id}:{value}"}, form_url=base),
            client.submit(f"{base}/membre", {"membre-member_id": value}, form_url=base),
            client.submit(f"{base}/sans-inscription", {"venu-name": value, "venu-organisation": value}, form_url=base),
            client.submit(f"{base}/sans-inscription", {"venu-name": "Zoé", "venu-email": value}, form_url=base),
            client.get(f"/coordination/rencontres/{meeting.id}/emargement.pdf", query_string={"lignes": value}),
            client.get("/coordination/participation", query_string={"annee": value, "departement": value}),
        ]
        assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]
    assert attendance_of(db, meeting)["Hélène Durand"] == "unknown"
    walk_ins = db.session.scalars(sa.select(Registration.name).where(Registration.is_walk_in.is_(True))).all()
    assert all(len(name) <= 200 and "\x00" not in name for name in walk_ins)
