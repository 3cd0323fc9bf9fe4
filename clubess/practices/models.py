"""Good practices, their revisions, the search index rows and the thesaurus."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from clubess.core import versions
from clubess.core.db import Base, DemoFlag, UtcDateTime, enum_check, now_utc


class PracticeStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Provenance(enum.StrEnum):
    MEMBER = "member"
    CLUB = "club"
    PARTNER_NETWORK = "partner_network"


class Practice(DemoFlag, Base):
    __tablename__ = "practices"
    __table_args__ = (enum_check("status", PracticeStatus), enum_check("provenance", Provenance))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable public reference (import/export upsert key, API id), e.g. "D001"
    ref: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    #: Markdown, sanitized at display
    description: Mapped[str] = mapped_column(sa.Text, default="")
    lever: Mapped[str] = mapped_column(sa.String(40), index=True)
    themes: Mapped[list] = mapped_column(sa.JSON, default=list)
    year: Mapped[int | None] = mapped_column(index=True)
    partners: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: [{"label", "url"}]
    links: Mapped[list] = mapped_column(sa.JSON, default=list)
    territory_name: Mapped[str] = mapped_column(sa.String(200), default="")
    territory_kind: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    department_code: Mapped[str | None] = mapped_column(sa.String(3), index=True)
    territory_id: Mapped[int | None] = mapped_column(sa.ForeignKey("territories.id"))
    collectivity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("collectivities.id"), index=True)
    contact_role: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    provenance: Mapped[str] = mapped_column(sa.String(20), default=Provenance.CLUB.value)
    review_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(20), default=PracticeStatus.DRAFT.value, index=True)
    #: the coordinators' last request for changes, shown to the author
    review_comment: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    #: number of indexed terms per field (BM25 length normalisation)
    len_title: Mapped[int] = mapped_column(default=0)
    len_themes: Mapped[int] = mapped_column(default=0)
    len_summary: Mapped[int] = mapped_column(default=0)
    len_description: Mapped[int] = mapped_column(default=0)

    contact = relationship("Member", foreign_keys=[contact_member_id])
    collectivity = relationship("Collectivity", foreign_keys=[collectivity_id])


class PracticeTheme(Base):
    """One row per theme of a practice, for facet counts in SQL."""

    __tablename__ = "practice_themes"

    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[str] = mapped_column(sa.String(100), primary_key=True, index=True)


class PracticeTerm(Base):
    """The inverted index, in the database: every worker reads the same, updated in the publishing transaction."""

    __tablename__ = "search_postings"
    __table_args__ = (sa.Index("ix_search_postings_term", "term", "practice_id", "weight"),)

    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    #: BM25F term frequency: each field's count times its weight, normalised by the field's length
    weight: Mapped[float] = mapped_column(sa.Float)


class PracticeRevision(Base):
    """Every change of a practice, with who and when (the snapshot is the practice after the change)."""

    __tablename__ = "practice_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    author_label: Mapped[str] = mapped_column(sa.String(254), default="")
    action: Mapped[str] = mapped_column(sa.String(40))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    snapshot: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class ThesaurusEntry(Base):
    """A group of equivalent expressions, e.g. « ressourcerie, recyclerie, réemploi »; coordinators edit it."""

    __tablename__ = "thesaurus_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: comma-separated expressions, as typed
    expressions: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)

    @property
    def expression_list(self) -> list[str]:
        return [e.strip() for e in self.expressions.split(",") if e.strip()]


class SearchState(Base):
    """One row whose version rises with every index change: workers check it to reuse their vocabulary cache."""

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class PracticeVector(Base):
    """A published practice's sentence embedding (the paraphrase signal), written with its index rows."""

    __tablename__ = "practice_vectors"

    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(sa.String(40))
    #: little-endian float32, unit length
    vector: Mapped[bytes] = mapped_column(sa.LargeBinary)


class PracticePassage(Base):
    """One sentence of a published practice and its embedding: the matcher scores a practice by its best passage
    too (clubess.practices.search.passages), written with its index rows."""

    __tablename__ = "practice_passages"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True, nullable=False
    )
    model: Mapped[str] = mapped_column(sa.String(40))
    position: Mapped[int] = mapped_column(default=0)
    #: little-endian float32, unit length
    vector: Mapped[bytes] = mapped_column(sa.LargeBinary)


class ProblemStatus(enum.StrEnum):
    OPEN = "open"
    SOLVED = "solved"
    CLOSED = "closed"


class Verdict(enum.StrEnum):
    USEFUL = "useful"
    NOT_RELEVANT = "not_relevant"
    ALREADY_DONE = "already_done"


class Problem(Base):
    """A problem a collectivity faces, stated by one of its members in their own words."""

    __tablename__ = "problems"
    __table_args__ = (enum_check("status", ProblemStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text)
    lever: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    themes: Mapped[list] = mapped_column(sa.JSON, default=list)
    collectivity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("collectivities.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=ProblemStatus.OPEN.value, index=True)
    #: the author follows it: it stays in their list and they may be told of new answers
    followed: Mapped[bool] = mapped_column(default=False)
    notify: Mapped[bool] = mapped_column(default=False)
    #: the score of the best match when last computed (the coordinators' loop sorts on it)
    best_score: Mapped[float] = mapped_column(default=0.0)
    #: what that best match is: a practice, or an ESS actor's solution (one of the two, or neither)
    best_practice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("practices.id", ondelete="SET NULL"))
    best_solution_id: Mapped[int | None] = mapped_column(sa.ForeignKey("solutions.id", ondelete="SET NULL"))
    #: a real answer was found when last matched (clubess.practices.answered): « nothing answers this yet » if not
    is_answered: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: the agenda item this problem was turned into, if any
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_items.id", ondelete="SET NULL"))
    vector: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)

    collectivity = relationship("Collectivity")
    author = relationship("User")
    feedback: Mapped[list["MatchFeedback"]] = relationship(
        back_populates="problem", cascade="all, delete-orphan", order_by="MatchFeedback.created_at"
    )
    solution_feedback: Mapped[list["SolutionFeedback"]] = relationship(
        back_populates="problem", cascade="all, delete-orphan", order_by="SolutionFeedback.created_at"
    )


class VerdictColumns:
    """What a verdict on a proposed answer holds, for a practice (MatchFeedback) or a solution (SolutionFeedback):
    one per problem and answer, its author kept as long as the account lives."""

    @declared_attr.directive
    def __table_args__(cls):
        return (enum_check("verdict", Verdict),)

    #: first of the key (problem, answer): `session.get(model, (problem_id, answer_id))`
    problem_id: Mapped[int] = mapped_column(
        sa.ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True, sort_order=-1
    )
    verdict: Mapped[str] = mapped_column(sa.String(20))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, onupdate=now_utc)


class MatchFeedback(VerdictColumns, Base):
    """A member's verdict on one practice proposed for one problem."""

    __tablename__ = "match_feedback"

    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True)

    problem: Mapped[Problem] = relationship(back_populates="feedback")
    practice = relationship("Practice")


class SolutionFeedback(VerdictColumns, Base):
    """A member's verdict on one ESS actor's solution proposed for one problem."""

    __tablename__ = "solution_feedback"

    solution_id: Mapped[int] = mapped_column(sa.ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True)

    problem: Mapped[Problem] = relationship(back_populates="solution_feedback")
    solution = relationship("Solution")


class NotifiedMatch(Base):
    """A mail told a problem's author about a new practice: never twice for the same pair."""

    __tablename__ = "notified_matches"

    problem_id: Mapped[int] = mapped_column(sa.ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)


class NotifiedSolutionMatch(Base):
    """A mail told a problem's author about a new ESS actor's solution: never twice for the same pair."""

    __tablename__ = "notified_solution_matches"

    problem_id: Mapped[int] = mapped_column(sa.ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True)
    solution_id: Mapped[int] = mapped_column(sa.ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)


#: derived from the practices (whose own rows change with them) or private to one person
versions.ignore("search_postings", "search_state", "practice_vectors", "notified_matches", "notified_solution_matches")
