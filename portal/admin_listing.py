"""Admin listings whose rows are written in Python: Wagtail's own table, lighter.

Wagtail renders every cell of a listing through a template of its own, and every row's "more"
menu through a dropdown component with an icon tag per button: most of a long listing's time.
These columns write the same markup (the classes, the link, the "⋯" menu, the human-readable
date) with format_html, and the table renders its header as Wagtail does and its rows in one
pass, so the listing keeps Wagtail's look, its sorting links and its filters.

The filters' drilldown is Wagtail's too, rendered once for what it shows (`filters_html`):
its forty-odd form widget templates were a third of a ledger page's time. Its lists of records
(estates, categories, handlers) are kept until a change of a table they read (`CHOICES`): each
app names the models its filters list in its AppConfig's `admin_choices`.

Use: an index view whose rows open the inspect screen, with `PlainListingMixin` (its title
column and the columns named by field in `list_display` become plain ones, its filters are
kept), and `PlainColumn`, `PlainChoiceColumn`, `PlainDateColumn` or a subclass of
`PlainColumn` in `list_display` where a column needs its own label, accessor or cell.
"""

import hashlib
import re

from django.apps import apps
from django.contrib.admin.utils import quote
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.forms.models import ModelChoiceIterator
from django.template import Context, engines
from django.template.defaultfilters import capfirst
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import Column, Table, TitleColumn

from portal import links, pagecache
from portal.when import ago


class PlainColumn(Column):
    """A column whose cell is `<td>` and the value, escaped."""

    def cell_html(self, instance):
        return format_html("<td{}>{}</td>", self.class_attr, self.display(instance))

    @property
    def class_attr(self):
        return format_html(' class="{}"', self.classname) if self.classname else ""

    def display(self, instance):
        value = self.get_value(instance)
        if value is None or not str(value).strip():
            return self.empty_value_display
        return localize(timezone.template_localtime(value))


class ValueColumn(PlainColumn):
    """A column whose value a function of the row gives (a row's derived fact, such as who
    does the job or the last call made)."""

    def __init__(self, name, value, **kwargs):
        super().__init__(name, **kwargs)
        self.value = value

    def get_value(self, instance):
        return self.value(instance)


class PlainChoiceColumn(PlainColumn):
    """The label of a field's choice, as get_FOO_display() shows it, from a mapping made once
    (Django's method rebuilds the mapping from the field's choices for every call)."""

    def __init__(self, name, choices, **kwargs):
        super().__init__(name, **kwargs)
        self.labels = dict(choices)

    def get_value(self, instance):
        value = getattr(instance, self.accessor)
        return self.labels.get(value, value)


class PlainDateColumn(PlainColumn):
    """A date as Wagtail shows it: how long ago, the full date and time in a tooltip."""

    def cell_html(self, instance):
        value = self.get_value(instance)
        if not value:
            return format_html("<td{}></td>", self.class_attr)
        value = timezone.template_localtime(value)
        return format_html(
            '<td{}><button type="button" class="w-human-readable-date" '
            'data-controller="w-tooltip" data-w-tooltip-content-value="{}" '
            'data-w-tooltip-placement-value="top"><time class="w-human-readable-date__date" '
            'datetime="{}">{}</time></button></td>',
            self.class_attr,
            date_format(value, "DATETIME_FORMAT"),
            value.isoformat(),
            capfirst(ago(value)),
        )


class PlainTitleColumn(PlainColumn, TitleColumn):
    """The first column: the title linked to the object's page, and Wagtail's "⋯" menu with
    that link as "Inspect" (the only thing these listings offer per row)."""

    def cell_html(self, instance):
        url = self.get_link_url(instance, None)
        if not url:
            return format_html(
                '<td class="title"><div class="title-wrapper">{}</div></td>', self.display(instance)
            )
        return format_html(
            '<td class="title"><div class="title-wrapper"><a href="{url}">{title}</a></div>'
            '<ul class="actions"><li><div data-controller="w-dropdown" class="w-dropdown">'
            '<button type="button" class="w-dropdown__toggle w-dropdown__toggle--icon" '
            'data-w-dropdown-target="toggle" aria-label="{more}"><svg class="icon '
            'icon-dots-horizontal w-dropdown__toggle-icon" aria-hidden="true">'
            '<use href="#icon-dots-horizontal"></use></svg></button>'
            '<div data-w-dropdown-target="content" class="w-dropdown__content" hidden>'
            '<a href="{url}"><svg class="icon icon-info-circle icon" aria-hidden="true">'
            '<use href="#icon-info-circle"></use></svg>{inspect}</a></div></div></li></ul></td>',
            url=url,
            title=self.display(instance),
            more=_("More options for '%(title)s'") % {"title": str(instance)},
            inspect=_("Inspect"),
        )


class PlainTable(Table):
    """Wagtail's table with the header as Wagtail renders it and the rows written in one pass
    by their columns (every column a PlainColumn)."""

    template_name = "portal/admin/plain_table.html"

    def rows_html(self):
        columns = list(self.columns.values())
        return mark_safe(  # each cell is format_html's, escaped
            "".join(
                "<tr>" + "".join(column.cell_html(row) for column in columns) + "</tr>"
                for row in self.data
            )
        )


class PlainListingMixin:
    """For an IndexView: the rows in one pass (PlainTable), the title column and the columns
    named by field in `list_display` as plain columns."""

    table_class = PlainTable

    @cached_property
    def filters(self):
        """Wagtail's filters, their choices read in one plain query each (a model field's own
        iterator reads its rows through QuerySet.iterator(), on PostgreSQL a server-side cursor
        and three more round trips for a handful of rows), their drilldown kept."""
        filters = super().filters
        for field in filters.form.fields.values() if filters else ():
            if isinstance(getattr(field.widget, "choices", None), ModelChoiceIterator):
                field.widget.choices = kept_choices(field.widget.choices)
        if filters:
            filters.keep_html = True
        return filters

    def get_inspect_url(self, instance):
        """Wagtail's, with its permission check and its reverse() asked for the first row only:
        the other rows' links differ by their id alone."""
        if not hasattr(self, "_inspect_address"):
            url = super().get_inspect_url(instance)
            self._inspect_address = url and links.addresses(self.inspect_url_name)
            return url
        return self._inspect_address and self._inspect_address(quote(instance.pk))

    def _get_title_column(self, field_name, column_class=PlainTitleColumn, **kwargs):
        return self._get_custom_column(
            field_name, column_class, get_url=self.get_inspect_url, **kwargs
        )

    def _get_custom_column(self, field_name, column_class=PlainColumn, **kwargs):
        return super()._get_custom_column(field_name, column_class, **kwargs)


def _read_choices(choices):
    """A ModelChoiceIterator's choices as a list, in the order it gives them: the empty label,
    django-filter's "null" choice (`_head`), then the rows."""
    return [*_head(choices), *(choices.choice(row) for row in choices.queryset.all())]


def _head(choices):
    field, head = choices.field, []
    if field.empty_label is not None:
        head.append(("", field.empty_label))
    if getattr(field, "null_label", None) is not None:
        head.append((field.null_value, field.null_label))
    return head


#: The filters' lists of records, kept until a row of a table they read changes.
CHOICES = pagecache.Scope("admin-choices", pages=False)
#: A list kept this long at most, should a table change with no signal sent (an update()).
CHOICES_SECONDS = 10 * 60
#: The tables whose every change bumps CHOICES (`follow_choices`).
_followed_tables = set()


def kept_choices(choices):
    """A filter's choices (`_read_choices`), the rows' kept as (value, label) under CHOICES when
    every table its query reads (its subqueries' too) is followed; read afresh otherwise. The
    key is the query's SQL and values, the field's class, value field and label function and
    the language: a label may depend on the row its query reads and the language alone."""
    queryset, field = choices.queryset, choices.field
    try:
        sql, params = queryset.query.clone().get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # none() or an empty list of ids: no rows to list
        return _head(choices)
    if not set(TABLES_READ.findall(sql)) <= _followed_tables:
        return _read_choices(choices)
    label = getattr(field.label_from_instance, "__func__", field.label_from_instance)
    shown = (
        sql,
        params,
        f"{type(field).__module__}.{type(field).__qualname__}",
        field.to_field_name,
        f"{label.__module__}.{label.__qualname__}",
        get_language(),
    )
    key = "choices:" + hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    rows = CHOICES.kept(
        key,
        lambda: [
            (str(each.value), str(text)) for each, text in map(choices.choice, queryset.all())
        ],
        CHOICES_SECONDS,
    )
    return [*_head(choices), *rows]


#: The tables a query's SQL reads, its joins' and subqueries' included (the names Django
#: quotes, as PostgreSQL and SQLite do).
TABLES_READ = re.compile(r'\b(?:FROM|JOIN)\s+"([^"]+)"')


def follow_choices(*models):
    """Bump CHOICES on every change of the models the filters list: each AppConfig's
    `admin_choices` (its models' names, and "Model.field" for the rows of a many-to-many field,
    a handler's roles) and `models` (Django's and Wagtail's). Called once, when the apps are
    ready."""
    for config in apps.get_app_configs():
        for name in getattr(config, "admin_choices", ()):
            model_name, _dot, field_name = name.partition(".")
            model = config.get_model(model_name)
            models += (
                model._meta.get_field(field_name).remote_field.through if field_name else model,
            )
    for model in models:
        _follow(model)


def _follow(model):
    _followed_tables.add(model._meta.db_table)
    uid = f"admin-choices:{model._meta.label}"
    if model._meta.auto_created:  # a many-to-many field's rows, added and removed by the field
        # (which sends no save or delete: a delete receiver would only cost Django its fast
        # deletes)
        m2m_changed.connect(_bump, sender=model, dispatch_uid=uid)
        return
    post_save.connect(_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_bump, sender=model, dispatch_uid=uid)


def _saved(update_fields=None, **kwargs):
    """A row saved; signing in saves the time of it alone, which no list shows."""
    if update_fields is None or set(update_fields) - {"last_login"}:
        CHOICES.bump()


def _bump(**kwargs):
    CHOICES.bump()


#: Wagtail's template of a listing's filters, which the site's template of the same name wraps
#: (templates/wagtailadmin/shared/headers/_filters.html).
FILTERS_TEMPLATE = "wagtailadmin/shared/headers/_filters.html"


def filters_html(filters):
    """The filters' drilldown, as Wagtail's template renders it. For a plain listing's filters
    (`keep_html`, set by PlainListingMixin: every choice a plain list) it is kept in the shared
    cache under everything it shows (`_shown`), the language and the release (the site's files
    and the libraries' versions), so an unchanged filter renders once. Only while every value given is
    one of its field's choices: a value typed (a month, a building) or refused renders afresh,
    so nobody fills the cache by typing. A widget whose HTML follows anything else (a chooser
    showing the chosen record's name) has no place in a plain listing's filters."""
    if not getattr(filters, "keep_html", False):
        return _render_filters(filters)
    shown = [_shown(field) for field in filters.form]
    if None in shown:
        return _render_filters(filters)
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    key = f"admin-filters:{pagecache.release()}:{get_language()}:{digest}"
    html = cache.get(key)
    if html is None:
        html = _render_filters(filters)
        cache.set(key, html, pagecache.TIMEOUT)
    return mark_safe(html)  # Wagtail's template's, escaped there


def _shown(field):
    """What a bound field's part of the drilldown shows, in plain strings: its kind, whether
    it is required or disabled, its widget (kind, template, attributes), label, help, choices
    and the values given; None when a value is not one of the choices or was refused."""
    widget = field.field.widget
    choices = [(str(value), _label(label)) for value, label in getattr(widget, "choices", ())]
    value = field.value()
    values = value if isinstance(value, list | tuple) else [value]
    given = [str(each) for each in values if each not in (None, "")]
    if field.errors or not set(given) <= {offered for offered, _text in choices}:
        return None
    return (
        field.name,
        type(field.field).__qualname__,
        field.field.required,
        field.field.disabled,
        f"{type(widget).__module__}.{type(widget).__qualname__}",
        widget.template_name,
        sorted((str(name), str(each)) for name, each in widget.attrs.items()),
        str(field.label),
        str(field.help_text),
        choices,
        given,
    )


def _label(label):
    """A choice's label as text; a group's, its choices'."""
    if isinstance(label, list | tuple):
        return tuple((str(value), str(each)) for value, each in label)
    return str(label)


def _render_filters(filters):
    """Wagtail's own template (the site's wraps it), rendered as Wagtail includes it."""
    engine = engines["django"].engine
    ours = engine.find_template(FILTERS_TEMPLATE)[1]
    wagtails = engine.find_template(FILTERS_TEMPLATE, skip=[ours])[0]
    return wagtails.render(Context({"filters": filters}, autoescape=engine.autoescape))
