"""Stage 1, reference data: the partners' IATI activity files (the IATI standard, versions 2.01 to
2.03), as downloaded from d-portal or a publisher's registry file: one or several XML files, or a
.zip of them.

Each file is read as a stream (`lxml.etree.iterparse`, without entities, DTDs or network access):
an activity is taken when its closing tag is read and its elements are let go at once, so a 200 MB
file never needs 200 MB of objects. What is kept of each activity in the deployment's country
(SWGDASH_IATI_COUNTRY), as four Arrow tables joined on `activity` (a number given in reading order):

- `iati_activities`: identifier, title (English; Lao where given), reporting organisation (ref and
  name), status, default currency, the file it came from and the line it starts on;
- `iati_participants`: each participating organisation's role (1 funding, 2 accountable, 3
  extending, 4 implementing), ref and name;
- `iati_sectors`: sectors of vocabulary 1 (five-digit DAC purpose codes; no vocabulary means 1)
  and 2 (three-digit DAC categories), with their percentages (none given: split evenly);
- `iati_transactions`: commitments (2), disbursements (3) and expenditure (4): date, value,
  currency (the activity's default when the value names none), value date, the value in US
  dollars at the value date (swgdash.ingest.iati.to_usd; empty when the currency cannot be
  converted: it is reported apart, never dropped), the share of it in the country (the activity's
  recipient-country percentage, or the transaction's own recipient country) and the transaction's
  own sector when it names one.

A file that is not well-formed XML, or not an IATI activity file (another root, a version 1
file), is refused with its name and line; nothing is kept of any file then. An activity whose
identifier appears twice (a file imported twice, or two downloads that overlap) is kept once: the
copy last updated (`last-updated-datetime`), else the first read.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import math
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

import pyarrow as pa

from swgdash import settings
from swgdash.errors import UserError
from swgdash.i18n import N_, _

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ROLES = {1: "funding", 2: "accountable", 3: "extending", 4: "implementing"}
FUNDER_ROLES = (1, 3)  # an organisation funds an activity's sector when it reports it or has one of these roles
TRANSACTION_TYPES = {2: "commitment", 3: "disbursement", 4: "expenditure"}  # kept; the others are not
SPENT = (3, 4)  # what the funding figures add up
VOCABULARIES = ("1", "2")  # DAC five-digit purpose codes, DAC three-digit categories
BATCH = 5_000  # activities held as Python values before they are made Arrow columns

SCHEMAS = {
    "iati_activities": pa.schema([
        ("activity", pa.int64()), ("iati_identifier", pa.string()), ("title", pa.string()), ("title_lo", pa.string()),
        ("reporting_org_ref", pa.string()), ("reporting_org_name", pa.string()), ("status", pa.int64()),
        ("default_currency", pa.string()), ("last_updated", pa.string()), ("file", pa.string()), ("line", pa.int64())]),
    "iati_participants": pa.schema([
        ("activity", pa.int64()), ("role", pa.int64()), ("ref", pa.string()), ("name", pa.string())]),
    "iati_sectors": pa.schema([
        ("activity", pa.int64()), ("vocabulary", pa.string()), ("code", pa.string()), ("percentage", pa.float64())]),
    "iati_transactions": pa.schema([
        ("activity", pa.int64()), ("type", pa.int64()), ("date", pa.date32()), ("value", pa.float64()),
        ("currency", pa.string()), ("value_date", pa.date32()), ("usd", pa.float64()),
        ("country_share", pa.float64()), ("sector_vocabulary", pa.string()), ("sector_code", pa.string())]),
}
TABLES = tuple(SCHEMAS)


# What could not be used of a set, by the code IatiSet.notes counts it under (the CLI and /upload say it)
NOTES = {"not_converted": N_("transactions are in a currency with no reference rate ({currencies}): kept, and "
                             "reported apart from the US dollar totals"),
         "transaction_without_value_or_date": N_("transactions have no readable value or date: not counted"),
         "no_identifier": N_("activities have no iati-identifier: not kept")}


class IatiRefused(UserError):
    """A file that is not an IATI activity file, or not well-formed: nothing was imported."""


@dataclass
class FileRead:
    """One file read: its name, `generated-datetime`, IATI version, and its activities (all, and
    those kept: in the country)."""
    name: str
    generated: str | None
    version: str | None
    activities: int = 0
    kept: int = 0

    def as_dict(self) -> dict:
        return {"name": self.name, "generated": self.generated, "version": self.version,
                "activities": self.activities, "kept": self.kept}


@dataclass
class IatiSet:
    """What was read from the files: the four tables, each file, the country, and counts of what
    could not be used (transactions with no date or value; amounts that cannot be converted)."""
    tables: dict[str, pa.Table]
    files: list[FileRead]
    country: str
    duplicates: int = 0
    notes: dict[str, int] = field(default_factory=dict)
    unconverted: tuple[str, ...] = ()  # the currencies with no reference rate

    def said(self) -> list[str]:
        """The notes in words, in the current language: '13 transactions are in a currency with no
        reference rate (LAK): ...'."""
        from swgdash.i18n import number

        return [f"{number(n)} " + _(NOTES[w]).format(currencies=", ".join(self.unconverted) or "—")
                for w, n in sorted(self.notes.items()) if w in NOTES]

    @property
    def activities(self) -> int:
        return self.tables["iati_activities"].num_rows

    @property
    def data_date(self) -> dt.date | None:
        """The newest `generated-datetime` of the files (the date the data are of), if any says."""
        days = [d for f in self.files if (d := _date(f.generated))]
        return max(days) if days else None

    def about(self) -> dict:
        """What a set's manifest records of it (swgdash.store: `about`)."""
        return {"kind": "iati", "country": self.country, "activities": self.activities,
                "duplicates": self.duplicates, "files": [f.as_dict() for f in self.files], "notes": dict(self.notes)}


def country() -> str:
    """The deployment's country, as IATI writes it (ISO 3166-1 alpha-2)."""
    return str(settings.get("SWGDASH_IATI_COUNTRY") or "LA").strip().upper()


# -- amounts in US dollars ---------------------------------------------------------------------
@functools.cache
def _converter():
    """The European Central Bank's reference rates since 1999, shipped with the currencyconverter
    package (read once per process; nothing is downloaded). A day with no rate (a weekend, a
    holiday) takes the rates around it; a day outside the history, its nearest end."""
    import warnings

    from currency_converter import CurrencyConverter

    # (it warns of each day it takes the nearest rates for: said once, in the module's docstring)
    warnings.filterwarnings("ignore", module="currency_converter")
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


def convertible(currency: str | None) -> bool:
    return bool(currency) and currency in _converter().currencies


def to_usd(value: float, currency: str | None, day: dt.date | None) -> float | None:
    """`value` in `currency` as US dollars at `day`; None when the currency has no reference rate
    (the Lao kip, among others) or the day is unknown."""
    if currency == "USD":
        return value
    if day is None or not convertible(currency):
        return None
    return float(_converter().convert(value, currency, "USD", date=day))


# -- reading -----------------------------------------------------------------------------------
Opener = Callable[[], IO[bytes]]


def sources(items: Iterable) -> Iterator[tuple[str, Opener]]:
    """(name, opener) of each IATI file among `items`: paths, or uploaded files (anything with a
    `name` and `getvalue()`); a .zip gives each .xml file inside it."""
    for item in items:
        opener: Opener
        if isinstance(item, (str, Path)):
            name, opener = Path(item).name, functools.partial(_on_disk, Path(item))
        else:
            name, opener = str(item.name), functools.partial(_in_memory, item)
        if name.lower().endswith(".zip"):
            yield from _zipped(name, opener)
        else:
            yield name, opener


def _zipped(name: str, opener: Opener) -> Iterator[tuple[str, Opener]]:
    """Each .xml file in a zip, within the extract's limits on entries and on what it unpacks to."""
    from swgdash.ingest.extract import Limits

    limits = Limits()
    try:
        archive = zipfile.ZipFile(opener())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise IatiRefused(_("{file}: not a zip file that can be read ({detail}); nothing was imported").format(
            file=name, detail=exc)) from None
    with archive:
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".xml") and not m.is_dir()
                   and not m.filename.split("/")[-1].startswith(".")]
        if not members:
            raise IatiRefused(_("{file}: the zip holds no .xml file; nothing was imported").format(file=name))
        if len(members) > limits.max_zip_entries or sum(m.file_size for m in members) > limits.max_inflated_bytes:
            raise IatiRefused(_("{file}: the zip unpacks to more than {files} files or {mb} MB; nothing was "
                                "imported").format(file=name, files=limits.max_zip_entries,
                                                   mb=limits.max_inflated_bytes // 1048576))
        for m in members:
            yield f"{name}/{m.filename}", functools.partial(archive.open, m)


def _on_disk(path: Path) -> IO[bytes]:
    return path.open("rb")


def _in_memory(upload) -> IO[bytes]:
    return io.BytesIO(upload.getvalue())


def read(items: Iterable, in_country: str | None = None) -> IatiSet:
    """Read IATI activity files (paths or uploads; see `sources`), keeping the activities in
    `in_country` (default: the deployment's); IatiRefused, naming the file and line, when one
    cannot be read."""
    code = (in_country or country()).upper()
    out = _Columns()
    files = []
    for name, opener in sources(items):
        try:
            with opener() as fh:
                files.append(_read_file(name, fh, code, out))
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError) as exc:
            # (a zip member damaged, encrypted or packed in a way Python cannot unpack)
            raise _refused(name, None, _("it cannot be unpacked ({detail})").format(
                detail=" ".join(str(exc).split())[:200] or type(exc).__name__)) from None
    tables = out.tables()
    tables, duplicates = _once_each(tables)
    return IatiSet(tables, files, code, duplicates, out.notes, tuple(sorted(out.unconverted)))


def _refused(name: str, line: int | None, detail: str) -> IatiRefused:
    where = _("{file}, line {line}").format(file=name, line=line) if line else name
    return IatiRefused(_("{where}: {detail}; nothing was imported").format(where=where, detail=detail))


VERSIONS = ("2.01", "2.02", "2.03")
MOST_ELEMENTS = 200_000  # in one activity, or between two (a real activity has a few hundred)


def _read_file(name: str, fh: IO[bytes], code: str, out: "_Columns") -> FileRead:
    """One file, as a stream: each child of the root is let go once read (an activity once taken),
    and an activity (or anything between two) of more than MOST_ELEMENTS elements is refused, so
    that what is held stays small whatever the file holds."""
    from lxml import etree

    parser = etree.iterparse(fh, events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True)
    read_: FileRead | None = None
    root = None
    depth = elements = 0
    try:
        for event, el in parser:
            if event == "start":
                depth += 1
                elements += 1
                if depth == 1:
                    if el.tag != "iati-activities":
                        raise _refused(name, el.sourceline, _("not an IATI activity file (its first element is "
                                                              "<{tag}>, not <iati-activities>)").format(tag=el.tag))
                    root = el
                    version = (el.get("version") or "").strip()
                    if version and version not in VERSIONS:
                        raise _refused(name, el.sourceline, _(
                            "IATI version {version}: only versions 2.01 to 2.03 are read").format(version=version))
                    read_ = FileRead(name, el.get("generated-datetime"), version or None)
                elif elements > MOST_ELEMENTS:
                    raise _refused(name, el.sourceline, _("more than {n} elements in one activity; it is not an "
                                                          "activity file as IATI writes them").format(
                        n=f"{MOST_ELEMENTS:,}"))
                continue
            depth -= 1
            if depth != 1 or read_ is None or root is None:
                continue
            if el.tag == "iati-activity":
                read_.activities += 1
                if out.add(el, code, name):
                    read_.kept += 1
            el.clear(keep_tail=False)
            while len(root):  # (what was read of the root's children, let go)
                del root[0]
            elements = 0
    except etree.XMLSyntaxError as exc:
        raise _refused(name, exc.lineno, _("not well-formed XML ({detail})").format(detail=exc.msg)) from None
    if read_ is None:
        raise _refused(name, 1, _("empty file"))
    return read_


def _text(el) -> str | None:
    if el is None:
        return None
    t = (el.text or "").strip()
    return " ".join(t.split()) or None


def _narratives(el, default_lang: str) -> dict[str, str]:
    """{language: text} of an element's narratives (a narrative with no xml:lang is in the
    activity's language); an IATI 1 style text directly inside counts as the default language."""
    found: dict[str, str] = {}
    if el is None:
        return found
    for n in el.iter("narrative"):
        text = _text(n)
        if text:
            found.setdefault((n.get(XML_LANG) or default_lang).lower()[:2], text)
    if not found and _text(el):
        found[default_lang] = _text(el) or ""
    return found


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        v = float(text.strip().replace(",", ""))
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def _shares(items: list[tuple[str, str | None]]) -> list[tuple[str, float]]:
    """(code, percentage): each missing percentage split evenly from what the others leave; when the
    given percentages add up to more than 100 (against the standard), all are scaled to add up to
    100, so that no amount is counted more than once; a negative one counts as none."""
    given = [None if (g := _number(p)) is None else max(g, 0.0) for _c, p in items]
    missing = sum(1 for g in given if g is None)
    total = sum(g for g in given if g is not None)
    if total > 100.0 or (missing == 0 and total == 0):
        if total == 0:
            given, total = [100.0 / len(items)] * len(items), 100.0
        return [(c, (g or 0.0) * 100.0 / total) for (c, _p), g in zip(items, given, strict=True)]
    left = 100.0 - total
    return [(c, g if g is not None else left / missing) for (c, _p), g in zip(items, given, strict=True)]


class _Columns:
    """The four tables' columns as they are read, made Arrow every BATCH activities."""

    def __init__(self):
        self.next_id = 0
        self.rows: dict[str, dict[str, list]] = {t: {f.name: [] for f in s} for t, s in SCHEMAS.items()}
        self.batches: dict[str, list[pa.RecordBatch]] = {t: [] for t in SCHEMAS}
        self.held = 0
        self.notes: dict[str, int] = {}
        self.unconverted: set[str] = set()

    def _note(self, what: str) -> None:
        self.notes[what] = self.notes.get(what, 0) + 1

    def _row(self, table: str, **values) -> None:
        cols = self.rows[table]
        for k, v in values.items():
            cols[k].append(v)

    def add(self, a, code: str, file: str) -> bool:
        """Take one <iati-activity> if it is in the country `code`; whether it was."""
        lang = (a.get(XML_LANG) or "en").lower()[:2]
        countries = [(c.get("code", "").strip().upper(), c.get("percentage")) for c in a.findall("recipient-country")]
        share = dict(_shares(countries)).get(code) if countries else None
        tx_countries = [(t, (t.find("recipient-country").get("code", "").strip().upper()
                             if t.find("recipient-country") is not None else None)) for t in a.findall("transaction")]
        if share is None and not any(c == code for _t, c in tx_countries):
            return False
        ident = _text(a.find("iati-identifier"))
        if not ident:
            self._note("no_identifier")
            return False
        n = self.next_id = self.next_id + 1
        titles = _narratives(a.find("title"), lang)
        rep = a.find("reporting-org")
        rep_names = _narratives(rep, lang)
        currency = (a.get("default-currency") or "").strip().upper() or None
        status = a.find("activity-status")
        self._row("iati_activities", activity=n, iati_identifier=ident,
                  title=titles.get("en") or next(iter(titles.values()), None), title_lo=titles.get("lo"),
                  reporting_org_ref=(rep.get("ref") or "").strip() or None if rep is not None else None,
                  reporting_org_name=(rep_names.get("en") or next(iter(rep_names.values()), None)),
                  status=_int(status.get("code")) if status is not None else None, default_currency=currency,
                  last_updated=a.get("last-updated-datetime"), file=file, line=a.sourceline)
        for p in a.findall("participating-org"):
            names = _narratives(p, lang)
            self._row("iati_participants", activity=n, role=_int(p.get("role")), ref=(p.get("ref") or "").strip() or None,
                      name=names.get("en") or next(iter(names.values()), None))
        by_vocabulary: dict[str, list[tuple[str, str | None]]] = {}
        for s in a.findall("sector"):
            vocabulary = (s.get("vocabulary") or "1").strip()
            sector = (s.get("code") or "").strip()
            if vocabulary in VOCABULARIES and sector:
                by_vocabulary.setdefault(vocabulary, []).append((sector, s.get("percentage")))
        for vocabulary, items in by_vocabulary.items():
            for sector, pct in _shares(items):
                self._row("iati_sectors", activity=n, vocabulary=vocabulary, code=sector, percentage=pct)
        for t, tx_country in tx_countries:
            self._transaction(n, t, currency, share, tx_country, code)
        self.held += 1
        if self.held >= BATCH:
            self.flush()
        return True

    def _transaction(self, n: int, t, currency: str | None, share: float | None, tx_country: str | None,
                     code: str) -> None:
        kind = t.find("transaction-type")
        kind_code = _int(kind.get("code")) if kind is not None else None
        if kind_code not in TRANSACTION_TYPES:
            return
        if share is None:  # the activity names no country: the transaction's own says
            share = 100.0 if tx_country == code else 0.0
        elif tx_country is not None and tx_country != code:
            share = 0.0
        v = t.find("value")
        value = _number(v.text if v is not None else None)
        day = _date(t.find("transaction-date").get("iso-date") if t.find("transaction-date") is not None else None)
        if value is None or day is None:
            self._note("transaction_without_value_or_date")
            return
        cur = ((v.get("currency") if v is not None else None) or currency or "").strip().upper() or None
        value_day = _date(v.get("value-date") if v is not None else None) or day
        usd = to_usd(value, cur, value_day)
        if usd is None:
            self._note("not_converted")
            self.unconverted.add(cur or "?")
        # the transaction's own sector, when it names one the figures read (vocabulary 1 before 2)
        own = sorted(((s.get("vocabulary") or "1").strip(), (s.get("code") or "").strip()) for s in t.findall("sector"))
        vocabulary, sector = next(((v, c) for v, c in own if v in VOCABULARIES and c), (None, None))
        self._row("iati_transactions", activity=n, type=kind_code, date=day, value=value, currency=cur,
                  value_date=value_day, usd=usd, country_share=share, sector_vocabulary=vocabulary,
                  sector_code=sector)

    def flush(self) -> None:
        for table, schema in SCHEMAS.items():
            cols = self.rows[table]
            if cols["activity"]:
                self.batches[table].append(pa.RecordBatch.from_pydict(cols, schema=schema))
                for k in cols:
                    cols[k] = []
        self.held = 0

    def tables(self) -> dict[str, pa.Table]:
        self.flush()
        return {t: pa.Table.from_batches(self.batches[t], schema=s) for t, s in SCHEMAS.items()}


def _once_each(tables: dict[str, pa.Table]) -> tuple[dict[str, pa.Table], int]:
    """Each identifier once: the copy updated last, else the first read; (tables, copies dropped)."""
    acts = tables["iati_activities"]
    best: dict[str, tuple[str, int]] = {}
    for n, ident, updated in zip(acts["activity"].to_pylist(), acts["iati_identifier"].to_pylist(),
                                 acts["last_updated"].to_pylist(), strict=True):
        seen = best.get(ident)
        if seen is None or (updated or "") > seen[0]:
            best[ident] = (updated or "", n)
    if len(best) == acts.num_rows:
        return tables, 0
    import pyarrow.compute as pc

    keep = pa.array(sorted(n for _u, n in best.values()), pa.int64())
    return ({t: tab.filter(pc.is_in(tab["activity"], value_set=keep)) for t, tab in tables.items()},
            acts.num_rows - len(best))
