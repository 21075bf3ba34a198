"""Many rows through one statement on SQLite, without SQLAlchemy's handling of each row.

SQLAlchemy builds, checks and converts a parameter dict per row of an executemany (or of an
"insertmanyvalues" INSERT ... RETURNING). For the batch writer's 256 rows per statement that
costs more than SQLite's own work. Here the statement is still SQLAlchemy's, compiled once,
and each value still goes through its column type's bind processor (so values are stored
exactly as SQLAlchemy stores them); only the per-row machinery is skipped. Other databases
take SQLAlchemy's usual path.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Dialect, Insert, Table

Order = list[tuple[int, Any]]  # per parameter of the SQL: its value's index, its processor
_COMPILED: dict[tuple[Insert, tuple[str, ...], type[Dialect]], tuple[str, str, Order]] = {}


def execute_many(
    connection: Connection,
    statement: Insert,
    keys: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """Execute the INSERT statement for each row of values (in keys' order)."""
    dialect = connection.dialect
    if dialect.name != "sqlite":
        connection.execute(statement, [dict(zip(keys, row, strict=True)) for row in rows])
        return
    sql, _, order = _compiled(statement, keys, dialect)
    plain = _Plain(order)
    connection.exec_driver_sql(sql, [tuple(plain(row)) for row in rows])


def insert_returning(
    connection: Connection,
    statement: Insert,
    keys: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
) -> list[tuple[Any, ...]]:
    """Execute the INSERT ... RETURNING statement for the rows; return the rows it returns.

    On SQLite the rows go in as few multi-row VALUES statements as its parameter limit
    allows (as SQLAlchemy's insertmanyvalues does); the returned rows come in no set order.
    """
    dialect = connection.dialect
    if dialect.name != "sqlite":
        result = connection.execute(statement, [dict(zip(keys, row, strict=True)) for row in rows])
        return [tuple(row) for row in result]
    sql, group, order = _compiled(statement, keys, dialect)
    plain = _Plain(order)
    per_statement = max(1, dialect.insertmanyvalues_max_parameters // len(keys))
    returned: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), per_statement):
        part = rows[start : start + per_statement]
        many = sql.replace(f"VALUES {group}", "VALUES " + ", ".join([group] * len(part)), 1)
        values = [value for row in part for value in plain(row)]
        returned.extend(connection.exec_driver_sql(many, tuple(values)).fetchall())
    return returned


class _Plain:
    """Convert rows to the driver's values; each distinct value of a column converted once.

    A batch's rows share most of their dates and moments (the batch's day, its updated_at),
    and a moment's conversion (to UTC, then to SQLite's text) is the costly one.
    """

    def __init__(self, order: Order) -> None:
        # Only the values with a processor are visited; the rest pass as they are.
        self._processed: list[tuple[int, Any, dict[Any, Any]]] = [
            (position, process, {}) for position, (_, process) in enumerate(order) if process
        ]
        indexes = [i for i, _ in order]
        self._indexes = None if indexes == list(range(len(order))) else indexes

    def __call__(self, row: tuple[Any, ...]) -> list[Any]:
        values = list(row) if self._indexes is None else [row[i] for i in self._indexes]
        for position, process, seen in self._processed:
            value = values[position]
            # Equal moments in other timezones are equal: keep them apart.
            key = (value, value.tzinfo) if isinstance(value, datetime) else value
            done = seen.get(key, _MISSING)
            if done is _MISSING:
                done = seen[key] = process(value)
            values[position] = done
        return values


_MISSING = object()


def _compiled(statement: Insert, keys: tuple[str, ...], dialect: Dialect) -> tuple[str, str, Order]:
    """Return statement's SQL (one row of values), that row's group, and where each value is."""
    cache_key = (statement, keys, type(dialect))
    found = _COMPILED.get(cache_key)
    if found is None:
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        names = compiled.positiontup or []
        group = "(" + ", ".join(["?"] * len(names)) + ")"
        if sorted(names) != sorted(keys) or compiled.string.count(f"VALUES {group}") != 1:
            raise ValueError(f"not a one-row INSERT of {keys}: {compiled.string}")
        columns = cast(Table, statement.table).c
        order = [
            (keys.index(name), columns[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in names
        ]
        found = _COMPILED[cache_key] = (compiled.string, group, order)
    return found
