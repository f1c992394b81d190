"""Queries written once by the ORM and then run with new values.

Building a query costs Django about a millisecond here (the lookups, the joins, the SQL text),
while the database answers a lookup by key in a fifth of that. On the pages every signed-in
owner opens (the topic page above all) that is most of their time, so their few per-reader
queries are built once per process and database, and each request only sends the values.

A `Statement` is made from a function that builds the queryset from its arguments, all of them
integers (ids, positions). The first run builds it with stand-in numbers, finds where each
stand-in went among the query's parameters, and keeps the SQL; a run then puts the real values
in those places. The query must be a `values_list()`: its rows come back as tuples, each value
converted as Django converts it (a boolean, a time on SQLite). A query that lists a model's
`columns()` first gives that model's instances (`objects`), built as Django builds them. Django has no such cache of its own;
its `prepare_threshold` prepares statements in PostgreSQL but still builds the SQL each time.
"""

import inspect
from itertools import count

from django.db import connections

#: Stand-ins for the arguments while the query is built: numbers no id or position takes.
_STAND_INS = count(-7_340_001, -1)


class Statement:
    def __init__(self, build, using="default"):
        self.build, self.using = build, using
        self.names = tuple(inspect.signature(build).parameters)
        # database vendor -> (sql, [argument name, or ("value", constant)], converters)
        self.compiled = {}

    def rows(self, **values):
        """The rows of the query for these argument values."""
        connection = connections[self.using]
        sql, slots, converters = self.compiled.get(connection.vendor) or self._compile(connection)
        params = [values[slot] if isinstance(slot, str) else slot[1] for slot in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [_converted(row, converters, connection) for row in rows]
        return rows

    def objects(self, model, *extra, fields=None, **values):
        """The rows as `model` instances, for a query whose values_list() names
        `columns(model)` (or `columns(model, fields)`, the rest deferred as by `only()`) and then
        `extra`,
        which are set on each instance by those names."""
        names = columns(model, fields)
        found = []
        for row in self.rows(**values):
            instance = model.from_db(self.using, names, row[: len(names)])
            for name, value in zip(extra, row[len(names) :], strict=True):
                setattr(instance, name, value)
            found.append(instance)
        return found

    def _compile(self, connection):
        stand_ins = {name: next(_STAND_INS) for name in self.names}
        by_value = {value: name for name, value in stand_ins.items()}
        compiler = self.build(**stand_ins).query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        slots = [
            by_value[param] if isinstance(param, int) and param in by_value else ("value", param)
            for param in params
        ]
        missing = set(self.names) - {slot for slot in slots if isinstance(slot, str)}
        if missing:
            raise ValueError(f"the query does not use {sorted(missing)} as parameters")
        self.compiled[connection.vendor] = sql, slots, converters
        return sql, slots, converters


def columns(model, only=None):
    """A model's columns by the names values_list() takes, in the order Django loads them
    (which `objects` relies on); `only` these, when given."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if only is None or field.attname in only
    ]


def _converted(row, converters, connection):
    row = list(row)
    for position, (functions, expression) in converters.items():
        for function in functions:
            row[position] = function(row[position], expression, connection)
    return tuple(row)
