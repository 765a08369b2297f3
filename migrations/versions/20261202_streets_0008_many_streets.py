"""many streets: the district and the city above the street, street_id on every street-owned table

An existing single-street database becomes one street under one district under one city:
the district is named after the old `street.district` text (e.g. 青岛西海岸新区; 未命名区
when empty) and the city after a known prefix of it (青岛… → 青岛市) or 未命名市. Every
street-owned row gets that street (rows at a community get their community's street),
street-level users get it too, community staff and grid workers their community's street.
The audit log only gains an empty column (it is append-only; entries written before this
release are attributed through their user, see `audit.views`).

Revision ID: streets_0008_many_streets
Revises: production_0007_documents
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'streets_0008_many_streets'
down_revision = 'production_0007_documents'
branch_labels = None
depends_on = None

# Tables whose rows sit at a community: street_id comes from the community.
AT_COMMUNITY = ('compound', 'meeting', 'cross_appointment', 'resident_request')
# Tables whose rows may name a community: from it when they do, else the street.
MAYBE_COMMUNITY = ('person', 'notice', 'org_unit')
# Street settings and street-wide records: the (first) street.
STREET_WIDE = ('meeting_kind', 'meeting_requirement', 'org_tier', 'assessment_round', 'assessment_quarter')

# (table, old unique constraint, new name, new columns)
UNIQUE_SWAPS = (
    ('meeting_kind', 'uq_meeting_kind_name', 'uq_meeting_kind_street_name', ['street_id', 'name']),
    ('org_tier', 'uq_org_tier_tree', 'uq_org_tier_street_tree_level', ['street_id', 'tree', 'level']),
    ('assessment_template', 'uq_assessment_template_name', 'uq_assessment_template_street_name_revision',
     ['street_id', 'name', 'revision']),
    ('assessment_round', 'uq_assessment_round_month', 'uq_assessment_round_street_month', ['street_id', 'month']),
    ('assessment_quarter', 'uq_assessment_quarter_quarter', 'uq_assessment_quarter_street_quarter',
     ['street_id', 'quarter']),
)

CITY_PREFIXES = {
    '青岛': '青岛市', '济宁': '济宁市', '任城': '济宁市', '吕梁': '吕梁市', '离石': '吕梁市', '中卫': '中卫市',
    '中宁': '中卫市', '银川': '银川市', '金凤': '银川市', '吴忠': '吴忠市', '同心': '吴忠市', '石家庄': '石家庄市',
    '长安': '石家庄市', '新华': '石家庄市',
}


def _city_for(district):
    for prefix, city in CITY_PREFIXES.items():
        if district.startswith(prefix):
            return city
    return '未命名市'


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).replace(tzinfo=None)


def _insert(conn, table, **values):
    """Insert one row of an Entity table and return its id."""
    now = _now()
    values.update(created_at=now, updated_at=now, version=1)
    cols = ', '.join(f'"{k}"' for k in values)
    params = ', '.join(f':{k}' for k in values)
    conn.execute(sa.text(f'INSERT INTO "{table}" ({cols}) VALUES ({params})'), values)
    return conn.execute(sa.text(f'SELECT max(id) FROM "{table}"')).scalar()


def _needs_street(conn):
    """Whether some street-owned row exists that no community places (then a street must exist)."""
    for table in MAYBE_COMMUNITY + STREET_WIDE + ('assessment_template', 'property_company'):
        if conn.execute(sa.text(f'SELECT 1 FROM "{table}" LIMIT 1')).first():
            return True
    return bool(conn.execute(sa.text(
        'SELECT 1 FROM "user" WHERE role IN (\'street_admin\', \'resident_rep\') LIMIT 1')).first())


def upgrade():
    conn = op.get_bind()

    op.create_table(
        'region_tier',
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_region_tier')),
        sa.UniqueConstraint('level', name=op.f('uq_region_tier_level')),
    )
    op.create_table(
        'region',
        sa.Column('tier_id', sa.Integer(), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('code', sa.String(length=12), nullable=True),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['parent_id'], ['region.id'], name=op.f('fk_region_parent_id_region')),
        sa.ForeignKeyConstraint(['tier_id'], ['region_tier.id'], name=op.f('fk_region_tier_id_region_tier')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_region')),
        sa.UniqueConstraint('parent_id', 'name', name='uq_region_parent_name'),
    )
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_region_tier_id'), ['tier_id'], unique=False)

    # --- the street under its district under its city ------------------------------------
    with op.batch_alter_table('street', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('slug', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('code', sa.String(length=12), nullable=True))

    streets = conn.execute(sa.text('SELECT id, district FROM street ORDER BY id')).all()
    if not streets:
        # A fresh install: the meeting kinds migration 0002 seeded belong to no street; a
        # street gets its own defaults when it is created (streets.services.create_street).
        conn.execute(sa.text('DELETE FROM meeting_kind WHERE id NOT IN (SELECT kind_id FROM meeting) '
                             'AND id NOT IN (SELECT kind_id FROM meeting_requirement WHERE kind_id IS NOT NULL)'))
    if not streets and _needs_street(conn):
        now = _now()
        conn.execute(sa.text('INSERT INTO street (name, district, created_at, updated_at, version) '
                             'VALUES (:n, \'\', :t, :t, 1)'), {'n': '未命名街道', 't': now})
        streets = conn.execute(sa.text('SELECT id, district FROM street ORDER BY id')).all()
    if streets:
        city_tier = _insert(conn, 'region_tier', level=1, name='市')
        district_tier = _insert(conn, 'region_tier', level=2, name='区/县')
        regions = {}
        for street_id, district in streets:
            district = (district or '').strip() or '未命名区'
            city = _city_for(district)
            if city not in regions:
                regions[city] = _insert(conn, 'region', tier_id=city_tier, parent_id=None, name=city)
            key = (city, district)
            if key not in regions:
                regions[key] = _insert(conn, 'region', tier_id=district_tier, parent_id=regions[city], name=district)
            conn.execute(sa.text('UPDATE street SET region_id = :r, slug = :s WHERE id = :id'),
                         {'r': regions[key], 's': f'street-{street_id}', 'id': street_id})
    first_street = streets[0][0] if streets else None

    with op.batch_alter_table('street', schema=None) as batch_op:
        batch_op.alter_column('slug', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint('uq_street_name', type_='unique')
        batch_op.drop_column('district')
        batch_op.create_unique_constraint('uq_street_region_name', ['region_id', 'name'])
        batch_op.create_unique_constraint(batch_op.f('uq_street_slug'), ['slug'])
        batch_op.create_foreign_key(batch_op.f('fk_street_region_id_region'), 'region', ['region_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_street_region_id'), ['region_id'], unique=False)

    # --- community: names and slugs unique within the street; an official code --------
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=12), nullable=True))
        batch_op.drop_constraint('uq_community_name', type_='unique')
        batch_op.drop_constraint('uq_community_slug', type_='unique')
        batch_op.create_unique_constraint('uq_community_street_name', ['street_id', 'name'])
        batch_op.create_unique_constraint('uq_community_street_slug', ['street_id', 'slug'])
        batch_op.create_index(batch_op.f('ix_community_street_id'), ['street_id'], unique=False)

    with op.batch_alter_table('owners_committee', schema=None) as batch_op:
        batch_op.drop_constraint('uq_owners_committee_name', type_='unique')
        batch_op.create_unique_constraint('uq_owners_committee_compound_name', ['compound_id', 'name'])

    # --- street_id on every street-owned table ------------------------------------------
    owned = AT_COMMUNITY + MAYBE_COMMUNITY + STREET_WIDE + ('assessment_template',)
    for table in owned:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('street_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('assessment_template', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))

    from_community = ('UPDATE "{t}" SET street_id = (SELECT community.street_id FROM community '
                      'WHERE community.id = "{t}".community_id) WHERE community_id IS NOT NULL')
    for table in AT_COMMUNITY + MAYBE_COMMUNITY:
        conn.execute(sa.text(from_community.format(t=table)))
    if first_street is not None:
        for table in MAYBE_COMMUNITY + STREET_WIDE + ('assessment_template',):
            conn.execute(sa.text(f'UPDATE "{table}" SET street_id = :s WHERE street_id IS NULL'), {'s': first_street})

    for table in owned:
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table != 'assessment_template':
                batch_op.alter_column('street_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_street_id_street'), 'street', ['street_id'], ['id'])
            batch_op.create_index(batch_op.f(f'ix_{table}_street_id'), ['street_id'], unique=False)
            if table == 'assessment_template':
                batch_op.create_foreign_key(batch_op.f('fk_assessment_template_region_id_region'), 'region',
                                            ['region_id'], ['id'])
                batch_op.create_index(batch_op.f('ix_assessment_template_region_id'), ['region_id'], unique=False)

    for table, old, new, columns in UNIQUE_SWAPS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(old, type_='unique')
            batch_op.create_unique_constraint(new, columns)

    # --- property companies: registered once, by a street -------------------------------
    with op.batch_alter_table('property_company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registered_street_id', sa.Integer(), nullable=True))
    if first_street is not None:
        conn.execute(sa.text('UPDATE property_company SET registered_street_id = :s'), {'s': first_street})
    with op.batch_alter_table('property_company', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_property_company_registered_street_id_street'), 'street',
                                    ['registered_street_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_property_company_registered_street_id'), ['registered_street_id'],
                              unique=False)

    # --- users: their street or their region ---------------------------------------------
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('street_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
    conn.execute(sa.text('UPDATE "user" SET street_id = (SELECT community.street_id FROM community '
                         'WHERE community.id = "user".community_id) WHERE community_id IS NOT NULL'))
    conn.execute(sa.text('UPDATE "user" SET street_id = (SELECT community.street_id FROM grid JOIN community '
                         'ON community.id = grid.community_id WHERE grid.id = "user".grid_id) '
                         'WHERE street_id IS NULL AND grid_id IS NOT NULL'))
    if first_street is not None:
        conn.execute(sa.text('UPDATE "user" SET street_id = :s WHERE street_id IS NULL '
                             'AND role IN (\'street_admin\', \'resident_rep\')'), {'s': first_street})
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_user_street_id_street'), 'street', ['street_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_user_region_id_region'), 'region', ['region_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_user_street_id'), ['street_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_region_id'), ['region_id'], unique=False)

    # --- the audit log: an empty column (append-only; no backfill) ------------------------
    op.add_column('audit_log', sa.Column('street_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_audit_log_street_id'), 'audit_log', ['street_id'], unique=False)


def downgrade():
    raise NotImplementedError("streets_0008 is not reversible: restore the backup taken before upgrading.")
