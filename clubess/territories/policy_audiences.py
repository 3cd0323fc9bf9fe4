"""Invitation audiences drawn from the members' ESS policy profiles (clubess.meetings.invitations).

Each audience is judged on a collectivity's latest profile. A collectivity with no profile has adopted no
SPASER and voted no strategy as far as the club knows, so « sans SPASER » and « sans stratégie » include it
(their labels say so); it acts on no lever the club knows of, so no lever audience includes it.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from clubess.core.vocabulary import LEVERS
from clubess.members.models import Collectivity
from clubess.territories.policy_models import PolicyProfile, latest_years

LEVER_PREFIX = "levier:"
WITHOUT = {
    "sans_spaser": (
        PolicyProfile.spaser_year,
        _l("Membres sans SPASER adopté (y compris ceux qui n’ont pas renseigné leur profil)"),
        _l("sans SPASER"),
    ),
    "sans_strategie": (
        PolicyProfile.strategy_year,
        _l("Membres sans stratégie ESS votée (y compris ceux qui n’ont pas renseigné leur profil)"),
        _l("sans stratégie ESS"),
    ),
}


def choices() -> list[SelectChoice]:
    """The audience select's choices: every member first, then the profile-based audiences."""
    found = [SelectChoice("", _l("Toutes les collectivités membres"))]
    found += [SelectChoice(key, label) for key, (_column, label, _short) in WITHOUT.items()]
    found += [
        SelectChoice(
            LEVER_PREFIX + key,
            _l("Membres agissant sur le levier « %(lever)s » (selon leur dernier profil)", lever=label),
        )
        for key, label in LEVERS.items()
    ]
    return found


def is_audience(key: str) -> bool:
    return key in WITHOUT or (key.startswith(LEVER_PREFIX) and key[len(LEVER_PREFIX) :] in LEVERS)


def describe(key: str) -> str:
    """A few words for the invitation's recorded audience."""
    if key in WITHOUT:
        return str(WITHOUT[key][2])
    return str(_l("levier %(lever)s", lever=LEVERS[key[len(LEVER_PREFIX) :]]))


def _latest() -> sa.Select:
    latest = latest_years()
    return sa.select(PolicyProfile.collectivity_id).join(
        latest,
        sa.and_(PolicyProfile.collectivity_id == latest.c.collectivity_id, PolicyProfile.year == latest.c.year),
    )


def collectivity_ids(key: str) -> sa.Select:
    """SQL: the ids of the collectivities in the audience `key` (for `Collectivity.id.in_(...)`)."""
    if key in WITHOUT:
        column = WITHOUT[key][0]
        reached = _latest().where(column.is_not(None))
        return sa.select(Collectivity.id).where(Collectivity.id.not_in(reached))
    lever = key[len(LEVER_PREFIX) :]
    # the levers are a JSON list of keys; a key, quoted, is found in its text on SQLite and PostgreSQL alike
    return _latest().where(sa.cast(PolicyProfile.levers, sa.String).like(f'%"{lever}"%'))
