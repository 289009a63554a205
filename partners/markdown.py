"""Markdown written by people, rendered to HTML that cannot carry script – once, when it is
saved, into a field beside its source.

The parser is markdown-it-py (CommonMark, with tables and strikethrough): its time grows
linearly with the length of the text, also for inputs such as thousands of `[` that took
Python-Markdown minutes. Raw HTML in the source is parsed as CommonMark says and then
sanitised by nh3, like everything else: nh3 alone decides which tags, attributes and link
schemes remain.
"""

import nh3
from django.db import models
from django.db.models import signals
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "del", "ins",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"

# Shared by all threads: rendering keeps its state per call, the instance only holds the rules.
_parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# markdown-it would print a link with another scheme as its source text; it becomes a link
# and nh3 drops the target, so the text reads as the author meant it and no "javascript:" shows.
_parser.validateLink = lambda url: True


def _adapt(tokens: list[Token]) -> None:
    """Headings start at h2 (the page's h1 is its title), strikethrough is <del> and a table
    column's alignment an `align` attribute: the markup the sanitiser allows."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        elif token.type in ("s_open", "s_close"):
            token.tag = "del"
        elif token.type in ("th_open", "td_open"):
            style = str(token.attrs.pop("style", ""))
            if style.startswith("text-align:"):
                token.attrSet("align", style.removeprefix("text-align:"))
        if token.children:
            _adapt(token.children)


def render_markdown(text: str) -> str:
    """The sanitised HTML of `text`; linear in its length."""
    env: dict = {}
    tokens = _parser.parse(text or "", env)
    _adapt(tokens)
    return nh3.clean(
        _parser.renderer.render(tokens, _parser.options, env),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )


class MarkdownHTMLField(models.TextField):
    """The sanitised HTML of the Markdown in the model's field `source`, rendered whenever the
    row is saved – like `auto_now`, through `pre_save`, so every path that writes the row gets it:
    services, the admin, fixtures and `bulk_create`. Pages show it as it is stored.

    `save(update_fields=[...])` calls `pre_save` only for the listed fields: an update that lists
    the source must list this field too, and one that does not is refused (it would leave the
    page showing the old text).
    """

    description = "HTML gerendert aus Markdown"

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract and cls.__module__ != "__fake__":  # not migrations' copies
            signals.pre_save.connect(
                self._refuse_update_without_html,
                sender=cls,
                weak=False,
                dispatch_uid=f"markdown_html:{cls._meta.label}.{name}",
            )

    def _refuse_update_without_html(self, sender, instance, update_fields=None, **kwargs):
        if update_fields and self.source in update_fields and self.name not in update_fields:
            raise ValueError(
                f"{sender._meta.label}: save(update_fields=...) lists {self.source!r} "
                f"but not {self.name!r}, which is rendered from it."
            )

    def pre_save(self, model_instance, add):
        html = mark_safe(render_markdown(getattr(model_instance, self.source)))  # noqa: S308
        setattr(model_instance, self.attname, html)
        return html

    def from_db_value(self, value, expression, connection):
        # Stored only by pre_save and rerender(), both through render_markdown: sanitised.
        return None if value is None else mark_safe(value)  # noqa: S308


def markdown_html_fields(model) -> list[MarkdownHTMLField]:
    return [field for field in model._meta.get_fields() if isinstance(field, MarkdownHTMLField)]


def rerender(model, *, batch_size: int = 500) -> int:
    """Renders the Markdown of every row of `model` again and writes the rows whose HTML
    changed (after a change of the renderer or the sanitiser); returns how many. Works on the
    models of migrations too."""
    fields = markdown_html_fields(model)
    if not fields:
        return 0
    columns = ["pk", *(field.source for field in fields), *(field.name for field in fields)]
    changed = 0
    last = None
    while True:
        rows = model._base_manager.order_by("pk").only(*columns)
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows[:batch_size])
        if not batch:
            return changed
        stale = []
        for row in batch:
            row_changed = False
            for field in fields:
                html = render_markdown(getattr(row, field.source))
                if html != getattr(row, field.name):
                    setattr(row, field.name, html)
                    row_changed = True
            if row_changed:
                stale.append(row)
        if stale:
            model._base_manager.bulk_update(stale, [field.name for field in fields])
        changed += len(stale)
        last = batch[-1].pk
