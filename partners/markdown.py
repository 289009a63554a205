"""Markdown written by people, rendered to HTML that cannot carry script."""

import hashlib
import importlib.metadata
import threading

import markdown as markdown_lib
import nh3
from django.core.cache import caches
from django.utils.connection import ConnectionProxy

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "del", "ins",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


# A cache for speed only, which degrades when Redis is down (CACHES["pages"]).
cache = ConnectionProxy(caches, "pages")
_local = threading.local()
# Rendered HTML is cached under a hash of its text and of how it is rendered (the allowed
# markup and the libraries' versions): a text always renders the same, so an entry never goes
# stale, and a change to the sanitising starts new entries by itself.
CACHE_VERSION = hashlib.sha256(
    repr(
        (
            sorted(ALLOWED_TAGS),
            sorted((tag, sorted(attrs)) for tag, attrs in ALLOWED_ATTRIBUTES.items()),
            markdown_lib.__version__,
            importlib.metadata.version("nh3"),
            2,  # this module's rendering (heading levels, extensions)
        )
    ).encode()
).hexdigest()[:12]
CACHE_SECONDS = 7 * 24 * 60 * 60


def _converter() -> markdown_lib.Markdown:
    """One converter per thread, reset between texts: building one costs more than most
    comments take to convert."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown_lib.Markdown(extensions=["tables", "sane_lists"])
    return converter.reset()


def _key(text: str) -> str:
    return f"{CACHE_VERSION}:{hashlib.sha256(text.encode()).hexdigest()}"


def render_markdown_many(texts: list[str]) -> list[str]:
    """Renders many texts with one cache round trip (the comments of a page)."""
    keys = [_key(text or "") for text in texts]
    found = cache.get_many(keys)
    missing = {}
    for key, text in zip(keys, texts, strict=True):
        if key not in found and key not in missing:
            missing[key] = render_markdown(text)
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return [found[key] if key in found else missing[key] for key in keys]


def render_markdown(text: str) -> str:
    html = _converter().convert(text or "")
    # Headings start at h2: the page's h1 is its title.
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
