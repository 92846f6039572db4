"""Writing the generated rows in bulk, inside one transaction that also takes the number counters.

PostgreSQL: COPY … FROM STDIN (psycopg) on a connection of its own in a writer thread, so the
server indexes one batch while Python builds the next. When the role may (a superuser) the load skips
the per-row foreign-key triggers, as pg_restore does (session_replication_role = replica), and checks
every reference of the rows it wrote with one set-based query per foreign key before committing.

Elsewhere (SQLite): executemany of INSERTs in the caller's thread, each value prepared by its model
field as the ORM would (get_db_prep_save). Not bulk_create: it stamps `auto_now` columns
(Dossier.updated_at, Payment.updated_at) with the time of the run, and a generated row must carry
the time the workflow last changed it.

Ids are taken the way the database hands them out (the table's sequence on PostgreSQL; after the
highest id inside the write transaction on SQLite), so events and payments point at their dossier
without reading anything back.
"""

import queue
import threading
from concurrent.futures import Future

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import BooleanField, DateTimeField, JSONField, UUIDField

from figures.history.replay import WorkflowMismatch
from figures.history.rows import LINES, NULL, _json_text, _maybe, _when, escape

_STOP = object()
_ABORT = object()


def _copy_text(value) -> str:
    return NULL if value is None else escape(str(value))


def _copy_bool(value) -> str:
    return "t" if value else "f"


def _formatter(field):
    if isinstance(field, DateTimeField):
        return _when
    if isinstance(field, BooleanField):
        return _copy_bool
    if isinstance(field, JSONField):
        return _json_text
    if isinstance(field, UUIDField):
        return _maybe
    if field.get_internal_type() in ("CharField", "TextField", "FileField", "SlugField"):
        return _copy_text
    return _maybe


def fields_of(model, columns):
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname[column] for column in columns]


def generic_line(model, columns):
    """A COPY line per row from each column's field type (tables without a hand-written line)."""
    formatters = list(enumerate(_formatter(f) for f in fields_of(model, columns)))
    return lambda row: "\t".join([f(row[i]) for i, f in formatters]) + "\n"


class PostgresCopyWriter:
    """The load's transaction lives in a writer thread; `call` runs there and waits, `write` does not."""

    def __init__(self):
        self._jobs: queue.Queue = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._lines: dict = {}
        self.references_unchecked = False
        self._thread = threading.Thread(target=self._work, name="generate-history-copy", daemon=True)
        self._thread.start()
        self.call(self._begin)

    # --- the writer thread --------------------------------------------------------------------------

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

    def _copy(self, model, columns, text: str) -> None:
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            copy.write(text)

    # --- the caller's side -------------------------------------------------------------------------

    def _put(self, job) -> None:
        if self._error is not None:
            raise self._error
        self._jobs.put(job)

    def call(self, fn):
        """Run fn() inside the load's transaction and return what it returns."""
        future: Future = Future()
        self._put((fn, future))
        return future.result()

    def reserve(self, model, count: int) -> list[int]:
        """Ids from the table's sequence (outside the transaction: sequences are not transactional)."""
        if not count:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def write(self, model, columns, rows) -> None:
        if not rows:
            return
        line = LINES.get(model) or self._lines.get(model)
        if line is None:
            line = self._lines[model] = generic_line(model, columns)
        text = "".join(map(line, rows))
        self._put((lambda: self._copy(model, columns, text), None))

    def finish(self, *, commit: bool) -> None:
        self._jobs.put(_STOP if commit else _ABORT)
        self._thread.join()
        if self._error is not None:
            raise self._error


class InsertWriter:
    """executemany in the caller's transaction (the caller opens it)."""

    references_unchecked = False

    def __init__(self):
        self._next_id: dict = {}
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def call(self, fn):
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


def writer_for_connection():
    return PostgresCopyWriter() if connection.vendor == "postgresql" else InsertWriter()


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
