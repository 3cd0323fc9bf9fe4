"""Demo rows flagged as fictitious (practices, meetings, speakers, collectivities, communiqués)

Revision ID: c22db3a5d207
Revises: 1148a9d5bd22
Create Date: 2026-12-01 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c22db3a5d207'
down_revision = '1148a9d5bd22'
branch_labels = None
depends_on = None

TABLES = ['practices', 'meetings', 'speakers', 'collectivities', 'communiques']

# What `flask demo load` wrote before this revision, recognised by its fixed identifiers (demo data is never
# loaded in production, so these only match a development database).
DEMO_COMMUNIQUES = [
    'le-club-des-collectivites-pour-l-ess-est-lance',
    'vingt-nouvelles-collectivites-rejoignent-le-club',
    'bilan-de-la-premiere-annee',
]
DEMO_SPEAKERS = ['Claire Fontaine', 'Marc Rousseau', 'Hélène Durand', 'Inès Garnier']
DEMO_MEETINGS = [
    "Rencontre trimestrielle : Financer l'ESS locale",
    'Rencontre trimestrielle : Achats responsables et SPASER',
    'Rencontre trimestrielle : Tiers-lieux et foncier',
    'Rencontre trimestrielle : Bilan de l\'année et priorités 2028',
    'Atelier thématique : réemploi et ressourceries',
    'Atelier territorial Seine-Saint-Denis',
    'Webinaire : clauses sociales dans les marchés publics',
    'Rencontre trimestrielle : lancement du club',
]
DEMO_MEMBER_EMAILS = [
    'elu@montreuil.example.org',
    'thomas.nguyen@montreuil.example.org',
    'agent@est-ensemble.example.org',
    'sophie.lemaire@est-ensemble.example.org',
    'antoine.moreau@paris.example.org',
    'fatou.diallo@seinesaintdenis.example.org',
    'julien.petit@vitry.example.org',
    'claire.fontaine@nanterre.example.org',
    'marc.rousseau@gpseo.example.org',
]


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('demo', sa.Boolean(), server_default=sa.false(), nullable=False))

    bind = op.get_bind()
    bind.execute(sa.text("UPDATE practices SET demo = :yes WHERE ref LIKE 'DEMO%' AND provenance = 'club'"), {'yes': True})
    bind.execute(
        sa.text('UPDATE communiques SET demo = :yes WHERE slug IN :slugs').bindparams(sa.bindparam('slugs', expanding=True)),
        {'yes': True, 'slugs': DEMO_COMMUNIQUES},
    )
    bind.execute(
        sa.text('UPDATE speakers SET demo = :yes WHERE name IN :names').bindparams(sa.bindparam('names', expanding=True)),
        {'yes': True, 'names': DEMO_SPEAKERS},
    )
    bind.execute(
        sa.text('UPDATE meetings SET demo = :yes WHERE title IN :titles').bindparams(sa.bindparam('titles', expanding=True)),
        {'yes': True, 'titles': DEMO_MEETINGS},
    )
    bind.execute(
        sa.text(
            'UPDATE collectivities SET demo = :yes WHERE id IN (SELECT collectivity_id FROM members WHERE email IN :emails)'
        ).bindparams(sa.bindparam('emails', expanding=True)),
        {'yes': True, 'emails': DEMO_MEMBER_EMAILS},
    )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('demo')
