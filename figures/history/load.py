"""Writing the generated rows in bulk, inside one transaction that also takes the number counters.

PostgreSQL: COPY … FROM STDIN in the binary format (psycopg's C dumpers encode the values, the
server parses no text) on a connection of its own in a writer thread, so the server indexes one
batch while Python builds the next. When the role may (a superuser) the load skips the per-row
foreign-key triggers, as pg_restore does (session_replication_role = replica), and checks every
reference of the rows it wrote with one set-based query per foreign key before committing. A caller
that already holds a transaction open gets the COPY in it instead (its rows are visible to no other
connection), with the triggers on.

Elsewhere (SQLite): executemany of INSERTs in the caller's thread, each value prepared by its model
field as the ORM would (get_db_prep_save). Not bulk_create: it stamps `auto_now` columns
(Dossier.updated_at, Payment.updated_at) with the time of the run, and a generated row must carry
the time the workflow last changed it.

Ids are taken the way the database hands them out (the table's sequence on PostgreSQL; after the
highest id inside the write transaction on SQLite), so events and payments point at their dossier
without reading anything back.
"""

import queue
import re
import threading
from concurrent.futures import Future

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from figures.history.replay import WorkflowMismatch
from figures.history.rows import TABLES
from portal.accounts.models import User

_STOP = object()
_ABORT = object()
# PostgreSQL's names for the column types Django declares, as psycopg's binary COPY wants them.
_PG_TYPES = {
    "timestamp with time zone": "timestamptz",
    "integer": "int4",
    "bigint": "int8",
    "smallint": "int2",
    "boolean": "bool",
}


def fields_of(model, columns):
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname[column] for column in columns]


def copy_types(model, columns) -> list[str]:
    """The columns' types for COPY … (FORMAT BINARY): psycopg's C dumpers then encode each value."""
    declared = (re.sub(r"\(.*\)", "", field.db_type(connection)) for field in fields_of(model, columns))
    return [_PG_TYPES.get(name, name) for name in declared]


class InsertWriter:
    """executemany in the caller's thread, inside a transaction (a savepoint when the caller has one)."""

    references_unchecked = False

    def __init__(self):
        self._next_id: dict = {}
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def call(self, fn):
        """Run fn() inside the load's transaction and return what it returns."""
        return fn()

    def reserve(self, model, count: int) -> list[int]:
        start = self._next_id.get(model)
        if start is None:
            table = connection.ops.quote_name(model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 (a model's table)
                start = cursor.fetchone()[0]
        self._next_id[model] = start + count
        return list(range(start, start + count))

    def write(self, model, columns, rows) -> None:
        if not rows:
            return
        fields = fields_of(model, columns)
        prepared = [[f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)] for row in rows]
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)  # noqa: S608

    def finish(self, *, commit: bool) -> None:
        if commit:
            self._atomic.__exit__(None, None, None)
        else:
            error = RuntimeError("generate_history rolled back")
            self._atomic.__exit__(type(error), error, None)


class CopyWriter(InsertWriter):
    """COPY in the caller's thread and transaction: used when the caller already has one open (its rows,
    uncommitted, are visible only to its own connection)."""

    def __init__(self):
        super().__init__()
        self._types: dict = {}

    def reserve(self, model, count: int) -> list[int]:
        """Ids from the table's sequence, as the database hands them out (sequences are not transactional)."""
        if not count:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def _copy(self, model, columns, rows) -> None:
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.set_types(self._types[model])
            write_row = copy.write_row
            for row in rows:
                write_row(row)

    def write(self, model, columns, rows) -> None:
        if not rows:
            return
        if model not in self._types:
            self._types[model] = copy_types(model, columns)
        self._copy(model, columns, rows)


class ThreadedCopyWriter(CopyWriter):
    """The load's own transaction, in a writer thread with its own connection: `call` runs there and
    waits, `write` queues the batch and returns, so Python builds the next batch while the server
    indexes this one. A superuser's load skips the per-row foreign-key triggers (check_references
    then checks the written rows' references before commit)."""

    def __init__(self):
        self._types = {}
        # A few batches may wait: Python goes on building while the server indexes.
        self._jobs: queue.Queue = queue.Queue(maxsize=12)
        self._error: BaseException | None = None
        self.references_unchecked = False
        self._thread = threading.Thread(target=self._work, name="generate-history-copy", daemon=True)
        self._thread.start()
        self.call(self._begin)

    def _work(self) -> None:
        try:
            with transaction.atomic():
                while (job := self._jobs.get()) is not _STOP:
                    if job is _ABORT:
                        transaction.set_rollback(True)
                        break
                    fn, future = job
                    try:
                        result = fn()
                    except BaseException as exc:
                        if future is not None:
                            future.set_exception(exc)
                        raise
                    if future is not None:
                        future.set_result(result)
        except BaseException as exc:
            self._error = exc
            while self._jobs.get() not in (_STOP, _ABORT):  # let the producer finish putting
                pass
        finally:
            connections[DEFAULT_DB_ALIAS].close()

    def _begin(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")
                self.references_unchecked = True

    def _put(self, job) -> None:
        if self._error is not None:
            raise self._error
        self._jobs.put(job)

    def call(self, fn):
        future: Future = Future()
        self._put((fn, future))
        return future.result()

    def write(self, model, columns, rows) -> None:
        if not rows:
            return
        if model not in self._types:
            self._types[model] = copy_types(model, columns)
        self._put((lambda: self._copy(model, columns, rows), None))

    def finish(self, *, commit: bool) -> None:
        self._jobs.put(_STOP if commit else _ABORT)
        self._thread.join()
        if self._error is not None:
            raise self._error


def writer_for_connection():
    """COPY on PostgreSQL (in its own transaction and thread unless the caller holds a transaction open),
    INSERTs elsewhere."""
    if connection.vendor != "postgresql":
        return InsertWriter()
    return CopyWriter() if connection.in_atomic_block else ThreadedCopyWriter()


def check_references(scopes: dict) -> None:
    """One anti-join per foreign key of the rows just written; scopes maps a model to (column, low, high)."""
    problems = []
    with connection.cursor() as cursor:
        for model, (column, low, high) in scopes.items():
            table = connection.ops.quote_name(model._meta.db_table)
            for field in model._meta.concrete_fields:
                if not field.is_relation:
                    continue
                parent = connection.ops.quote_name(field.related_model._meta.db_table)
                target, own = field.target_field.column, field.column
                sql = (
                    f"SELECT count(*) FROM {table} t WHERE t.{column} BETWEEN %s AND %s "  # noqa: S608 (model names)
                    f"AND t.{own} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{target} = t.{own})"
                )
                cursor.execute(sql, [low, high])
                missing = cursor.fetchone()[0]
                if missing:
                    problems.append(f"{model.__name__}.{field.name}: {missing}")
    if problems:
        raise WorkflowMismatch(f"rows point at rows that do not exist: {', '.join(problems)}")


def analyze_tables() -> None:
    """Fresh planner statistics for the tables a run wrote to (PostgreSQL; autovacuum would come later,
    after the queries that read them right away, the rollups' rebuild first, had chosen their plans)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (*(model for model, _columns in TABLES), User):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
