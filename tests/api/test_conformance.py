"""Schemathesis reads /api/v1/openapi.json and checks the API against it: 0 failures.

Every operation gets a bounded number of generated requests, valid ones and invalid ones, sent through
the WSGI app; all of schemathesis' checks run on each answer (no 5xx; status codes, content types,
headers and bodies as documented; invalid data refused; valid data accepted; 405 for other methods…).
(Schemathesis' own pytest plugin reads a private attribute pytest 9 removed, so the strategies are
driven by Hypothesis here, through schemathesis' public Python API.)
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from clubess.extensions import limiter

EXAMPLES = 25
#: a text can follow the schema and still hold no word to search for ("le la les", "; "): the document
#: says so, and such a text is refused with a 400 that tells why, so this check accepts 400 there; the same for
#: a day that follows the AAAA-MM-JJ pattern without existing (2026-02-30) or a `to` before `from`
CONFIG = {
    "operations": [
        {
            "include-path": path,
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400"]}},
        }
        for path in ("/practices/match", "/meetings")
    ]
}


@pytest.fixture
def api_schema(app, corpus, territories, make_meeting, db):
    from clubess.resources.models import Document
    from clubess.resources.search import index_document

    held = make_meeting(status="held", day=(2026, 6, 18))
    make_meeting(status="published")
    make_meeting(day=(2027, 9, 16), status="cancelled", department_code="93")
    for document in (
        Document(title="Guide du SPASER", kind="guide", visibility="public", url="https://example.org/g", year=2025),
        Document(
            title="Replay de la rencontre",
            kind="replay",
            visibility="public",
            url="https://video.example.org/r",
            meeting_id=held.id,
            lever="achats_responsables",
        ),
        Document(title="Réservé", kind="etude", visibility="members", url="https://example.org/m"),
    ):
        db.session.add(document)
        db.session.flush()
        index_document(document)
    db.session.commit()
    limiter.enabled = False  # 429 has its own test (test_errors.py); here every request is a generated one
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=schemathesis.Config.from_dict(CONFIG))
    finally:
        limiter.enabled = True


def test_the_api_answers_as_its_document_says(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.label for op in operations} == {
        "GET /territories",
        "GET /territories/{code}",
        "GET /meetings",
        "GET /practices",
        "GET /practices/match",
        "POST /practices/match",
        "GET /practices/{ref}",
        "GET /resources",
    }
    failures = []
    sent = 0
    for operation in operations:
        takes_input = operation.path_parameters or operation.query or operation.body
        for mode in schemathesis.GenerationMode if takes_input else [schemathesis.GenerationMode.POSITIVE]:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
            def run(case):
                nonlocal sent
                sent += 1
                case.call_and_validate()

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # every failure is reported, then the test fails
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert sent >= len(operations) * EXAMPLES
    assert not failures, "\n\n".join(failures)
