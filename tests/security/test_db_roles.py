"""docs/deploy.md "Database roles": the application's role cannot rewrite or unguard the audit log."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from motcua.audit.checks import check_append_only_guard
from motcua.audit.services import audit_record, personal_data_access_record

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def app_role():
    """The application role of the deploy guide: DML rights only, owns nothing."""
    import psycopg

    role = f"motcua_app_{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'test-only'")
        cursor.execute(f'GRANT CONNECT ON DATABASE "{db}" TO {role}')
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}")
    s = connection.settings_dict
    url = f"postgres://{role}:test-only@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{db}"
    with psycopg.connect(url, autocommit=True) as conn:
        yield conn
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {role}")
        cursor.execute(f"DROP ROLE {role}")


def test_the_app_role_cannot_change_delete_truncate_or_unguard(app_role):
    import psycopg

    event = audit_record(actor=None, action="roles.test")
    personal_data_access_record(actor=None, subject_type="t", subject_id=1, purpose="test")
    refused = [
        f"UPDATE audit_auditevent SET note = 'x' WHERE id = {event.pk}",
        f"DELETE FROM audit_auditevent WHERE id = {event.pk}",
        "DELETE FROM audit_personaldataaccess",
        "TRUNCATE audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
        "DROP TRIGGER motcua_append_only_guard ON audit_auditevent",
        "SET session_replication_role = replica",
    ]
    for sql in refused:
        with pytest.raises(psycopg.Error):  # noqa: PT012
            app_role.execute(sql)
            pytest.fail(f"accepted: {sql}")
    # What it needs still works: reading, appending, the chain's lock function.
    assert app_role.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] == 1
    assert app_role.execute("SELECT seq FROM motcua_chain_tail('audit_auditevent')").fetchone()
    assert audit_record(actor=None, action="roles.after").seq == 2


def test_check_deploy_warns_when_the_role_could_unguard(settings):
    ids = {m.id for m in check_append_only_guard(databases=["default"])}
    assert "motcua.W102" in ids  # the test connection is a superuser
    assert "motcua.W101" not in ids  # every append-only table is guarded
