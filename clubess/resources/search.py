"""The resource centre's search: the library's French engine (analysis, thesaurus, typo correction, BM25F)
over the documents' title, description, meeting and agenda item, and the text of their PDFs.

The postings are a table written in the transaction that saves a document (as the practices' index), so
every worker finds a document at once. Each worker caches the vocabulary per index version (typo
correction); what a search may show (visibility, the meeting's status and date) is read on every search,
in one query, so a meeting published or moved is right at once.
"""

import secrets
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, selectinload

from clubess.core.pagination import PageWindow
from clubess.core.timezone import tz
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.meetings.models import AgendaItem, Meeting
from clubess.meetings.services import VISIBLE
from clubess.practices.models import SearchState
from clubess.practices.search.engine import QueryPlan, plan_query, prune, rank
from clubess.practices.search.index import bump_version, term_weights
from clubess.resources.labels import KIND_LABELS
from clubess.resources.models import Document, DocumentTerm, Visibility

#: the resource centre's row in search_state (1 is the practices' index)
STATE_ID = 2
#: (weight, typical length in terms): title > description > meeting and agenda item > the PDF's text
FIELD_WEIGHTS = {"title": (3.0, 8.0), "description": (1.5, 40.0), "context": (1.0, 12.0), "text": (0.5, 1500.0)}
#: the PDF text indexed at most (the first pages say what a document is about)
MAX_TEXT = 60_000


def index_document(document: Document) -> None:
    """(Re)write a document's index rows. Registrants' documents are never in the centre: not indexed."""
    db.session.flush()
    _write_postings(document)
    bump_version(STATE_ID)


def _write_postings(document: Document) -> None:
    """The document's postings, from its fields and its meeting's and agenda item's titles (no flush)."""
    db.session.execute(sa.delete(DocumentTerm).where(DocumentTerm.document_id == document.id))
    if document.visibility != Visibility.REGISTRANTS:
        with force_locale("fr"):  # the words people search with: the French labels
            context = [str(KIND_LABELS[document.kind])]
            if document.lever in LEVERS:
                context.append(str(LEVERS[document.lever]))
        if document.meeting is not None:
            context.append(document.meeting.title)
        if document.agenda_item_id is not None and document.agenda_item is not None:
            context.append(document.agenda_item.title)
        weights = term_weights(
            [
                (document.title, *FIELD_WEIGHTS["title"]),
                (document.description, *FIELD_WEIGHTS["description"]),
                (" . ".join(context), *FIELD_WEIGHTS["context"]),
                ((document.text or "")[:MAX_TEXT], *FIELD_WEIGHTS["text"]),
            ]
        )
        if weights:
            db.session.execute(
                sa.insert(DocumentTerm),
                [{"document_id": document.id, "term": t, "weight": w} for t, w in weights.items()],
            )


# A document is found by its meeting's and agenda item's titles: when one is renamed or deleted (by whatever path: the
# planning pages, a series, the demo), the documents of that meeting are indexed again in the same
# transaction, after the flush that writes the new title (so every worker sees it as soon as it commits).
_RENAMED = "clubess_resources_renamed_meetings"


@event.listens_for(Session, "before_flush")
def _note_renamed_meetings(session: Session, _context, _instances) -> None:
    for obj in session.dirty:
        if isinstance(obj, (Meeting, AgendaItem)) and inspect(obj).attrs.title.history.has_changes():
            meeting_id = obj.id if isinstance(obj, Meeting) else obj.meeting_id
            if meeting_id is not None:
                session.info.setdefault(_RENAMED, set()).add(meeting_id)
        # an agenda item taken off its meeting is deleted (an orphan): its documents stay, without its title
        if isinstance(obj, Meeting) and obj.id is not None and inspect(obj).attrs["items"].history.deleted:
            session.info.setdefault(_RENAMED, set()).add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, AgendaItem) and obj.meeting_id is not None:
            session.info.setdefault(_RENAMED, set()).add(obj.meeting_id)


@event.listens_for(Session, "after_flush_postexec")
def _reindex_renamed_meetings(session: Session, _context) -> None:
    meeting_ids = session.info.pop(_RENAMED, None)
    if not meeting_ids:
        return
    documents = list(session.scalars(sa.select(Document).where(Document.meeting_id.in_(sorted(meeting_ids)))))
    for document in documents:
        _write_postings(document)
    if documents:
        # as bump_version, without its flush (the session is flushing): a missing row is written at commit
        version = secrets.randbits(62)
        if not session.execute(
            sa.update(SearchState).where(SearchState.id == STATE_ID).values(version=version)
        ).rowcount:
            session.add(SearchState(id=STATE_ID, version=version))


@event.listens_for(Session, "after_rollback")
def _forget_renamed_meetings(session: Session) -> None:
    session.info.pop(_RENAMED, None)


def unindex_document(document_id: int) -> None:
    db.session.execute(sa.delete(DocumentTerm).where(DocumentTerm.document_id == document_id))
    bump_version(STATE_ID)


def reindex_all() -> int:
    count = 0
    for document in db.session.scalars(sa.select(Document).options(selectinload(Document.meeting))):
        index_document(document)
        count += 1
    return count


_VOCABULARY: dict[str, tuple[int, dict[str, int], dict[str, list[str]]]] = {}


def vocabulary() -> tuple[dict[str, int], dict[str, list[str]]]:
    """The indexed terms and their document counts, cached per worker until the index version moves."""
    version = db.session.scalar(sa.select(SearchState.version).where(SearchState.id == STATE_ID)) or 0
    key = str(db.engine.url)
    cached = _VOCABULARY.get(key)
    if cached is None or cached[0] != version:
        df = dict(db.session.execute(sa.select(DocumentTerm.term, sa.func.count()).group_by(DocumentTerm.term)).all())
        by_letter: dict[str, list[str]] = defaultdict(list)
        for term in df:
            by_letter[term[:1]].append(term)
        cached = (version, df, dict(by_letter))
        _VOCABULARY[key] = cached
    return cached[1], cached[2]


@dataclass
class Filters:
    kind: str = ""
    lever: str = ""
    year: int | None = None
    meeting_id: int | None = None


@dataclass
class Row:
    """What filtering, facets and ordering need of a document (one query for all of them)."""

    id: int
    kind: str
    lever: str | None
    year: int | None
    meeting_id: int | None
    meeting_title: str
    #: the meeting's start, or the document's upload: newest first without a query
    when: float

    def accepts(self, filters: Filters, without: str = "") -> bool:
        return (
            (without == "kind" or not filters.kind or self.kind == filters.kind)
            and (without == "lever" or not filters.lever or self.lever == filters.lever)
            and (without == "year" or not filters.year or self.year == filters.year)
            and (without == "meeting" or not filters.meeting_id or self.meeting_id == filters.meeting_id)
        )


@dataclass
class SearchResult(PageWindow):
    documents: list[Document]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple]]
    plan: QueryPlan = field(default_factory=QueryPlan)
    matched: dict[int, set[str]] = field(default_factory=dict)


def _rows(visibilities: set[str]) -> list[Row]:
    """Every document the centre may show to someone who sees `visibilities` (registrants' ones never)."""
    allowed = sorted(set(visibilities) - {Visibility.REGISTRANTS.value})
    stmt = (
        sa.select(
            Document.id,
            Document.kind,
            Document.lever,
            Document.year,
            Document.meeting_id,
            Document.created_at,
            Meeting.title,
            Meeting.starts_at,
        )
        .outerjoin(Meeting, Meeting.id == Document.meeting_id)
        .where(
            Document.visibility.in_(allowed),
            sa.or_(Document.meeting_id.is_(None), Meeting.status.in_(VISIBLE)),
        )
    )
    paris = tz()
    rows = []
    for doc_id, kind, lever, year, meeting_id, created_at, meeting_title, starts_at in db.session.execute(stmt):
        when = starts_at or created_at
        if meeting_id is not None:
            year = starts_at.astimezone(paris).year
        rows.append(Row(doc_id, kind, lever, year, meeting_id, meeting_title or "", when.timestamp()))
    return rows


def _facets(rows: list[Row], filters: Filters) -> dict[str, list[tuple]]:
    """Counts per value of each facet, among the documents the other filters keep (a facet never hides its
    own siblings: choosing « étude » still shows how many guides there are)."""
    facets = {}
    for name, key in (("kind", "kind"), ("lever", "lever"), ("year", "year"), ("meeting", "meeting_id")):
        counts: dict = defaultdict(int)
        titles = {}
        for row in rows:
            value = getattr(row, key)
            if value is not None and row.accepts(filters, without=name):
                counts[value] += 1
                titles[value] = row.meeting_title
        if name == "year":
            facets[name] = sorted(counts.items(), reverse=True)
        elif name == "meeting":
            facets[name] = sorted(((v, n, titles[v]) for v, n in counts.items()), key=lambda t: (-t[1], t[2]))
        else:
            facets[name] = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return facets


def search(text: str, filters: Filters, visibilities: set[str], page: int = 1, per_page: int = 20) -> SearchResult:
    """The centre's documents someone who sees `visibilities` may find, best first (newest first without
    words), with facet counts. Five queries at most, whatever the number of documents."""
    page, per_page = max(1, page), max(1, min(per_page, 100))
    rows = _rows(visibilities)
    by_id = {row.id: row for row in rows}
    kept = [row for row in rows if row.accepts(filters)]
    plan, scores, matched = QueryPlan(), {}, {}
    if text.strip():
        plan = plan_query(text[:500], vocabulary_of=vocabulary)
        df, _letters = vocabulary()
        prune(plan, len(rows), df)
        terms = plan.all_terms()
        weight_of: dict[str, dict[int, float]] = defaultdict(dict)
        if terms:
            allowed = {row.id for row in kept}
            for doc_id, term, weight in db.session.execute(
                sa.select(DocumentTerm.document_id, DocumentTerm.term, DocumentTerm.weight).where(
                    DocumentTerm.term.in_(sorted(terms))
                )
            ):
                if doc_id in allowed:
                    weight_of[term][doc_id] = weight
        scores, matched = rank(plan, weight_of, df, max(1, len(rows)))
        kept = [row for row in kept if row.id in scores]
        order = sorted(kept, key=lambda r: (-int(scores[r.id] * 1e9), -r.when, r.id))
        # facets count what the words found, under the other filters
        facet_rows = [by_id[i] for i in scores]
    else:
        order = sorted(kept, key=lambda r: (-r.when, -r.id))
        facet_rows = rows
    page_ids = [row.id for row in order[(page - 1) * per_page : page * per_page]]
    documents = {}
    if page_ids:
        documents = {
            d.id: d
            for d in db.session.scalars(
                sa.select(Document)
                .where(Document.id.in_(page_ids))
                .options(
                    selectinload(Document.meeting),
                    selectinload(Document.agenda_item).load_only(AgendaItem.id, AgendaItem.title),
                )
            )
        }
    return SearchResult(
        [documents[i] for i in page_ids if i in documents],
        len(order),
        page,
        per_page,
        _facets(facet_rows, filters),
        plan,
        dict(matched),
    )
