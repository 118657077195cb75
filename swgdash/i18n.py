"""The languages a person reads: English (the messages as written in the code) and Lao (the
catalog swgdash/locale/lo/LC_MESSAGES/messages.po).

One process serves many sessions, each in its own language, so nothing is installed
globally: the language of the code running now is a context variable (a Streamlit script
run sets it for its own thread; `language(...)` sets it for a block), and `_` looks the
message up in that language's catalog, read once per process. `N_` marks a message that is
translated where it is shown (a constant of a module, a code's words). The catalog is read
from its .po file and compiled in memory, so no build step can leave it stale.

Dates and numbers go through Babel's locale for the language (`15 ພະຈິກ 2026`), with Arabic
digits unless the SWGDASH_DIGITS setting asks for Lao digits (໐–໙).
"""
from __future__ import annotations

import contextvars
import datetime as dt
import functools
import gettext
import io
import re
import string
import textwrap
import unicodedata
from contextlib import contextmanager
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"
LANGUAGES = ("en", "lo")
# Each language's name in its own script, as the switch shows it (never translated).
LANGUAGE_NAMES = {"en": "English", "lo": "ລາວ"}
DEFAULT = "en"
# The switch speaks both languages whatever the page's language, so anyone can find it.
SWITCH_LABEL = "ພາສາ · Language"
SWITCH_HELP = "ເລືອກພາສາ · Choose the language of every page, chart and download"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("swgdash_language", default=DEFAULT)


def normalise(lang) -> str | None:
    """A language code this app speaks ('lo', 'en'), from e.g. 'LO' or 'lo_LA'; None when it is none."""
    if not isinstance(lang, str):
        return None
    code = lang.strip().lower().replace("-", "_").split("_")[0]
    return code if code in LANGUAGES else None


def default_language() -> str:
    """The deployment's default language (the SWGDASH_LANGUAGE setting), else English."""
    from swgdash import settings

    return normalise(settings.get("SWGDASH_LANGUAGE")) or DEFAULT


def current() -> str:
    """The language of the code running now."""
    return _current.get()


def set_language(lang: str) -> None:
    """Set the language for the rest of this thread's run (a Streamlit script run)."""
    _current.set(normalise(lang) or DEFAULT)


@contextmanager
def language(lang: str):
    """Run a block in a language (a deck built in Lao, a test), then go back."""
    token = _current.set(normalise(lang) or DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def bound(fn):
    """fn, to be run later in this language (a download built on another thread when clicked)."""
    lang = _current.get()

    def run(*args, **kwargs):
        with language(lang):
            return fn(*args, **kwargs)

    return run


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The language's catalog, compiled once per process (English: the messages themselves)."""
    if lang == DEFAULT or not po_path(lang).exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


class Message(str):
    """A translated message whose `format` writes its dates in the language too: a placeholder
    such as {as_of:%d %B %Y} gets the month's name in the language ('15 ພະຈິກ 2026'), and the
    numbers Lao digits where the deployment asks for them."""

    def format(self, *args, **kwargs) -> str:
        return _FORMATTER.vformat(str(self), args, kwargs)


class _Formatter(string.Formatter):
    def format_field(self, value, spec):
        if spec and "%" in spec and hasattr(value, "strftime"):
            return digits(strftime(value, spec))
        if spec in (",", ",d", ",.0f") and _current.get() != DEFAULT and isinstance(value, (int, float)):
            return number(value)  # the language's grouping (Lao: 12.345)
        out = super().format_field(value, spec)
        return digits(out) if isinstance(value, (int, float)) and not isinstance(value, bool) else out


_FORMATTER = _Formatter()


def _(message: str) -> str:
    """The message in the current language."""
    if not message:
        return message
    return Message(_template_digits(translations(_current.get()).gettext(message)))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for n, in the current language (Lao has one form)."""
    return Message(_template_digits(translations(_current.get()).ngettext(singular, plural, n)))


_PLACEHOLDER_OR_DIGIT = re.compile(r"\{[^{}]*\}|\d")


def _template_digits(text: str) -> str:
    """A translation's own digits ('12 ເດືອນ') as Lao digits where the deployment asks for them,
    never those of its placeholders' format specifications ({share:.0%})."""
    if _current.get() != "lo" or not lao_digits() or not re.search(r"\d", text):
        return text
    return _PLACEHOLDER_OR_DIGIT.sub(lambda m: m[0] if m[0][0] == "{" else m[0].translate(LAO_DIGITS), text)


def N_(message: str) -> str:
    """Marks a message for the catalog; it is translated where it is shown (with `_`)."""
    return message


# --- dates and numbers ---------------------------------------------------------------------------

LAO_DIGITS = str.maketrans("0123456789", "໐໑໒໓໔໕໖໗໘໙")


def lao_digits() -> bool:
    from swgdash import settings

    return str(settings.get("SWGDASH_DIGITS")).lower() == "lao"


def digits(text: str) -> str:
    """Arabic digits as Lao digits in Lao when the deployment asks for them (SWGDASH_DIGITS=lao)."""
    if _current.get() == "lo" and lao_digits():
        return text.translate(LAO_DIGITS)
    return text


@functools.cache
def _locale(lang: str):
    from babel import Locale

    return Locale.parse("lo_LA" if lang == "lo" else "en_GB")


def territory_name(code: str) -> str:
    """A country's name (ISO 3166-1 alpha-2) in the current language, as CLDR gives it; else the code."""
    return str(_locale(current()).territories.get(code.upper(), code))


def month_name(month: int, width: str = "wide") -> str:
    """A month's name in the current language ('November', 'ພະຈິກ')."""
    return _locale(_current.get()).months["format"][width][month]


def strftime(day, spec: str) -> str:
    """strftime with the month's names of the current language (%B, %b); in Lao a day of the
    month without its leading zero."""
    lang = _current.get()
    spec = spec.replace("%B", month_name(day.month).replace("%", "%%"))
    spec = spec.replace("%b", month_name(day.month, "wide" if lang == "lo" else "abbreviated").replace("%", "%%"))
    if lang == "lo":
        spec = spec.replace("%d", str(day.day))
    return day.strftime(spec)


def date_text(day: dt.date, short: bool = False) -> str:
    """A day for people: '15 Nov 2026' / '15 November 2026' in English, '15 ພະຈິກ 2026' in Lao."""
    lang = _current.get()
    if lang == "lo":  # Lao: day, month's name, year (the glossary's convention)
        return digits(f"{day.day} {month_name(day.month)} {day.year}")
    return f"{day.day:02d} {month_name(day.month, 'abbreviated' if short else 'wide')} {day.year}"


def month_text(day: dt.date) -> str:
    """A month for people: 'Nov 2026', 'ພະຈິກ 2026'."""
    lang = _current.get()
    return digits(f"{month_name(day.month, 'wide' if lang == 'lo' else 'abbreviated')} {day.year}")


def number(n) -> str:
    """A whole number with the language's grouping ('12,345'; Lao, as CLDR has it: '12.345'); digits
    as the deployment asks."""
    from babel.numbers import format_decimal

    return digits(format_decimal(round(n), locale=_locale(_current.get())))


def decimal(n: float, places: int = 1) -> str:
    """A number with `places` decimals and the language's separators; digits as the deployment asks."""
    from babel.numbers import format_decimal

    return digits(format_decimal(round(n, places), format="#,##0." + "0" * places, locale=_locale(_current.get())))


# --- line breaking -------------------------------------------------------------------------------

LAO = re.compile(r"[\u0E80-\u0EFF]")
ZWSP = "\u200b"


def has_lao(text: str) -> bool:
    return bool(LAO.search(text or ""))


@functools.lru_cache(maxsize=8192)
def lao_words(text: str) -> tuple[str, ...]:
    """Lao text cut at its word boundaries by laonlp's dictionary segmenter (maximal matching
    over its Lao word list); text without Lao is cut at spaces only. Never cuts a syllable:
    every piece is a dictionary word or a run of characters the dictionary does not know."""
    if not has_lao(text):
        return tuple(re.split(r"(\s+)", text))
    from laonlp.tokenize import word_tokenize

    return tuple(_whole_syllables(word_tokenize(text)))


# Lao vowels written before their consonant: a piece ending with one continues in the next.
_LEADING = set("\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")
# Vowels and marks that follow their consonant (combining, or spacing like ະ າ ຳ): a piece
# starting with one belongs to the piece before it.
_FOLLOWING = set("\u0eb0\u0eb2\u0eb3\u0ebd\u0ec6")
_TONES = "\u0ec8\u0ec9\u0eca\u0ecb\u0ecc"
_NEEDS_FINAL = {"\u0eb1", "\u0ebb"}


def _whole_syllables(pieces) -> list[str]:
    """The segmenter's pieces joined where it cut inside a syllable (a word its dictionary does
    not know comes back letter by letter): a piece never starts with a mark or a following vowel,
    never ends with a leading vowel, and unknown runs of single Lao letters stay one piece."""
    out: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        before = out[-1].rstrip(_TONES) if out else ""
        glue = out and has_lao(piece[:1]) and has_lao(out[-1][-1:]) and (
            unicodedata.category(piece[0]).startswith("M") or piece[0] in _FOLLOWING
            or out[-1][-1] in _LEADING
            or before[-1:] in _NEEDS_FINAL  # ັ and ົ are always closed by a final consonant
            or len(piece) == 1)  # a lone letter is never a word: the end of one the dictionary lacks
        if glue:
            out[-1] += piece
        else:
            out.append(piece)
    return out


def break_opportunities(text: str) -> str:
    """Lao text with a zero-width space between its words, so a renderer that does not know Lao
    words (PowerPoint, a PDF) can wrap it there."""
    if not has_lao(text):
        return text
    pieces = lao_words(text)
    out = []
    for i, piece in enumerate(pieces):
        out.append(piece)
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        if piece and nxt and has_lao(piece[-1]) and has_lao(nxt[0]):
            out.append(ZWSP)
    return "".join(out)


def visual_len(text: str) -> int:
    """Characters that take room on a line (Lao vowel and tone marks sit over their consonant)."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def wrap(text: str, width: float, measure=None) -> list[str]:
    """Lines of at most about `width`, measured by `measure` (default: characters that take room):
    English as textwrap breaks it (at spaces and hyphens) when measured in characters; otherwise
    at spaces and between Lao words. A bracket stays with the words it encloses; a word longer
    than a line stays whole."""
    if measure is None and not has_lao(text):
        return textwrap.wrap(text, width=int(width)) or [text]
    measure = measure or visual_len
    pieces: list[str] = []
    for piece in lao_words(text):  # an opening bracket stays with what follows it, a closing one with
        if pieces and (pieces[-1] in "([" or piece in ")],.;:"):  # what comes before
            pieces[-1] += piece
        else:
            pieces.append(piece)
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if piece.isspace():
            if line:
                line += " "
            continue
        if line.strip() and measure((line + piece).strip()) > width:
            lines.append(line.rstrip())
            line = piece
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines or [text]
