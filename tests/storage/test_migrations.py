"""Migrations: head matches the models, and every revision goes up, down and up again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import tables
from bot.storage.migrate import alembic_config, current_revision, downgrade, drift, upgrade


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def test_history_is_linear() -> None:
    script = _script()
    assert len(script.get_heads()) == 1
    for revision in script.walk_revisions():
        assert not isinstance(revision.down_revision, tuple | list), revision.revision


async def test_fresh_database_has_no_revision(engine: AsyncEngine) -> None:
    assert await current_revision(engine) is None


async def test_head_matches_models(engine: AsyncEngine) -> None:
    await upgrade(engine)

    assert await current_revision(engine) == _script().get_current_head()
    assert await drift(engine) == []


async def test_every_revision_goes_up_down_and_up(engine: AsyncEngine) -> None:
    revisions = list(reversed(list(_script().walk_revisions())))
    assert revisions, "no migrations found"

    for revision in revisions:
        down_to = revision.down_revision or "base"
        assert isinstance(down_to, str)
        await upgrade(engine, revision.revision)
        assert await current_revision(engine) == revision.revision
        await downgrade(engine, down_to)
        assert await current_revision(engine) == revision.down_revision
        await upgrade(engine, revision.revision)

    assert await current_revision(engine) == _script().get_current_head()
    assert await drift(engine) == []


async def test_downgrade_to_base_removes_every_table(engine: AsyncEngine) -> None:
    await upgrade(engine)
    await downgrade(engine, "base")

    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: sa.inspect(sync).get_table_names())
    assert set(names) <= {"alembic_version"}


async def test_drift_detects_a_model_the_migrations_lack(engine: AsyncEngine) -> None:
    await upgrade(engine)
    changed = sa.MetaData(naming_convention=tables.NAMING_CONVENTION)
    for table in tables.metadata.tables.values():
        copy = table.to_metadata(changed)
        if table.name == "members":
            copy.append_column(sa.Column("nickname", sa.String(50), nullable=True))

    diffs = await drift(engine, changed)

    assert [(d[0], d[3].name) for d in diffs if d[0] == "add_column"] == [
        ("add_column", "nickname")
    ]


async def test_head_has_the_models_check_constraints(engine: AsyncEngine) -> None:
    # Autogenerate does not compare CHECK constraints, so drift() cannot catch a missing one.
    await upgrade(engine)

    def check_names(sync: sa.Connection) -> dict[str, set[str]]:
        inspector = sa.inspect(sync)
        return {
            table: {check["name"] for check in inspector.get_check_constraints(table)}
            for table in tables.metadata.tables
        }

    async with engine.connect() as conn:
        found = await conn.run_sync(check_names)
    expected = {
        table.name: {str(c.name) for c in table.constraints if isinstance(c, sa.CheckConstraint)}
        for table in tables.metadata.tables.values()
    }
    assert found == expected
    assert found["progress"] == {"ck_progress_status"}
    assert found["resource_feedback"] == {"ck_resource_feedback_rating"}
    assert found["learning_events"] == {"ck_learning_events_kind", "ck_learning_events_minutes"}
