"""Activity counts by partner, area, type and year, kept by the database itself.

Facet counts and profiles ask "how many activities does this partner have in each
area?" on every uncached page; counting a partner's 40 000 activities each time grows
with the content. The tally table holds those counts for every activity, public or
not, one row per (partner, area, type, year, state), where partner 0 and area 0 mean
"any": an activity counts once in each pair of its partners and areas, and once in
each of its partners, each of its areas, and in the total. Triggers on the activity
and link tables keep it exact on every write (admin, fixtures, bulk inserts, raw
SQL), in the same transaction. Readers take the published rows and subtract the few
activities scheduled for later, counted live, because a publication date passes
without any write.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connection

TABLE = "partners_activitytally"
ACTIVITY = "partners_activity"
PARTNER_LINKS = "partners_activity_partners"
AREA_LINKS = "partners_activity_areas"
KEY = "partner_key, area_key, kind, year, state"
# The activity's own columns among the keys: only updates of these change the tally.
KEY_COLUMNS = "kind, start_date, state"

YEAR = {
    "sqlite": "CAST(strftime('%Y', a.start_date) AS INTEGER)",
    "postgresql": "CAST(EXTRACT(YEAR FROM a.start_date) AS INTEGER)",
}


def _partners(activity_id):
    return (
        f"SELECT partner_id AS k FROM {PARTNER_LINKS} "
        f"WHERE activity_id = {activity_id} UNION ALL SELECT 0"
    )


def _areas(activity_id):
    return (
        f"SELECT cooperationarea_id AS k FROM {AREA_LINKS} "
        f"WHERE activity_id = {activity_id} UNION ALL SELECT 0"
    )


def _rows(vendor, activity, partners, areas, where="TRUE"):
    """The tally keys one change touches: `activity` is a FROM item named `a` with
    the activity's kind and start date; every partner key with every area key."""
    return (
        f"SELECT p.k AS partner_key, r.k AS area_key, a.kind AS kind, "
        f"{YEAR[vendor]} AS year, a.state AS state "
        f"FROM {activity}, ({partners}) p, ({areas}) r WHERE {where}"
    )


def _changes(vendor, row):
    """The keys an activity row (NEW or OLD) or a link row counts in: an activity
    in each pair of its partners and areas (0 included); a new partner link adds
    the activity with that partner in each of its areas and in none; an area link
    likewise."""
    own = (
        f"(SELECT {row}.kind AS kind, {row}.start_date AS start_date, "
        f"{row}.state AS state) a"
    )
    stored, linked = f"{ACTIVITY} a", f"a.id = {row}.activity_id"
    return {
        "activity": _rows(vendor, own, _partners(f"{row}.id"), _areas(f"{row}.id")),
        "partner_link": _rows(
            vendor,
            stored,
            f"SELECT {row}.partner_id AS k",
            _areas(f"{row}.activity_id"),
            linked,
        ),
        "area_link": _rows(
            vendor,
            stored,
            _partners(f"{row}.activity_id"),
            f"SELECT {row}.cooperationarea_id AS k",
            linked,
        ),
    }


TRIGGER_TABLES = {
    "activity": ACTIVITY,
    "partner_link": PARTNER_LINKS,
    "area_link": AREA_LINKS,
}


def _upsert(rows):
    # SQLite needs a WHERE before an upsert's ON CONFLICT.
    return (
        f"INSERT INTO {TABLE} ({KEY}, total) SELECT {KEY}, 1 FROM ({rows}) t "
        "WHERE TRUE "
        f"ON CONFLICT ({KEY}) DO UPDATE SET total = {TABLE}.total + 1;"
    )


def _subtract(rows):
    return f"UPDATE {TABLE} SET total = total - 1 WHERE ({KEY}) IN ({rows});"


def _trigger_statements(vendor):
    """Triggers after every insert and delete of an activity or link, and every
    update of the activity columns the keys hold: SQLite runs statements, PostgreSQL
    a function."""
    statements = []
    for name, table in TRIGGER_TABLES.items():
        add = _upsert(_changes(vendor, "NEW")[name])
        subtract = _subtract(_changes(vendor, "OLD")[name])
        updated = name == "activity"
        trigger = f"{TABLE}_{name}"
        if vendor == "postgresql":
            statements += [
                f"CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF TG_OP IN ('UPDATE', 'DELETE') THEN {subtract} END IF; "
                f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {add} END IF; "
                "RETURN NULL; END $$",
                f"CREATE TRIGGER {trigger} AFTER INSERT OR DELETE"
                f"{f' OR UPDATE OF {KEY_COLUMNS}' if updated else ''} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {trigger}()",
            ]
            continue
        statements += [
            f"CREATE TRIGGER {trigger}_insert AFTER INSERT ON {table} BEGIN {add} END",
            f"CREATE TRIGGER {trigger}_delete AFTER DELETE ON {table} "
            f"BEGIN {subtract} END",
        ]
        if updated:
            statements.append(
                f"CREATE TRIGGER {trigger}_update AFTER UPDATE OF {KEY_COLUMNS} "
                f"ON {table} BEGIN {subtract} {add} END"
            )
    return statements


def _counting(activities, by_kind_only=False):
    """SELECT of the tally's keys and counts over `activities` (a SELECT of id,
    kind, start year and state), counted as the tally counts them; by_kind_only:
    of (partner key, area key, kind) over a SELECT of id and kind."""
    columns = "id, kind" if by_kind_only else "id, kind, year, state"
    rest = "p.kind" if by_kind_only else "p.kind, p.year, p.state"
    # Each activity with each of its partners and with 0 (p), then each of those
    # with each of its areas, found through the link table's index, and with 0.
    return (
        f"WITH h ({columns}) AS ({activities}), "
        f"p AS (SELECT h.*, l.partner_id AS k FROM h "
        f"JOIN {PARTNER_LINKS} l ON l.activity_id = h.id "
        "UNION ALL SELECT h.*, 0 FROM h) "
        f"SELECT p.k, l.cooperationarea_id, {rest}, COUNT(*) FROM p "
        f"JOIN {AREA_LINKS} l ON l.activity_id = p.id "
        f"GROUP BY p.k, l.cooperationarea_id, {rest} "
        f"UNION ALL SELECT p.k, 0, {rest}, COUNT(*) FROM p GROUP BY p.k, {rest}"
    )


def _every_activity(vendor):
    return f"SELECT a.id, a.kind, {YEAR[vendor]}, a.state FROM {ACTIVITY} a"


def counted(activities):
    """{(partner key, area key, kind): how many of `activities`}, counted as the
    tally counts, for the few activities scheduled for later."""
    rows = activities.order_by().values_list("pk", "kind")
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # none() (a search without words): nothing to count
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_counting(sql, by_kind_only=True), params)
        return {tuple(row[:3]): row[3] for row in cursor.fetchall()}


def rebuild(using_connection=None):
    """Count every row again (after a migration, or to repair a tally found wrong)."""
    conn = using_connection or connection
    with conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} ({KEY}, total) "
            f"{_counting(_every_activity(conn.vendor))}"
        )


def differences():
    """Tally rows that disagree with a count from scratch: empty when exact."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {KEY}, total FROM {TABLE} WHERE total <> 0")
        stored = {row[:5]: row[5] for row in cursor.fetchall()}
        cursor.execute(_counting(_every_activity(connection.vendor)))
        expected = {row[:5]: row[5] for row in cursor.fetchall()}
    return {
        key: (stored.get(key, 0), expected.get(key, 0))
        for key in stored.keys() | expected.keys()
        if stored.get(key, 0) != expected.get(key, 0)
    }


def install(apps, schema_editor):
    """Migration step: the triggers for the backend in use, then a first count."""
    for statement in _trigger_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)
    rebuild(schema_editor.connection)


def uninstall(apps, schema_editor):
    for name, table in TRIGGER_TABLES.items():
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {TABLE}_{name}()")
        else:
            for action in ("insert", "delete", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{name}_{action}")
