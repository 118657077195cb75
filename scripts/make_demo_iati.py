"""Write the demo's IATI sample (data/demo-iati/activities.xml): partners' activities in Lao PDR as
IATI 2.03 activity XML, the shape d-portal downloads have, for the demo's /funding page (issue 33).

Made up, but after the real picture (the partners' IATI identifiers and the DAC codes of
scripts/demo_facts/funding.json): the largest UXO funder sits in no UXO group, several co-chairs
publish nothing, one NGO reports in kip (no reference rate: reported apart), one activity is in
Cambodia (skipped), an implementing partner (role 4) is no funder, and some transactions fall
outside the three years before the demo's as-of date. Deterministic: the same file every run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

SEED = 33
GENERATED = "2026-03-03T06:00:00Z"
ORGS = {  # ref: (name, IATI organisation type)
    "XM-DAC-46004": ("Asian Development Bank", 40), "AU-5": ("Australia - Department of Foreign Affairs and Trade", 10),
    "XI-IATI-EC_INTPA": ("European Commission - International Partnerships", 15), "XM-DAC-41301": ("Food and Agriculture Organization of the United Nations", 40),
    "FR-3": ("Agence Française de Développement", 10), "XM-DAC-5-7": ("Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ) GmbH", 10),
    "DE-1": ("Federal Ministry for Economic Cooperation and Development (BMZ)", 10), "XM-DAC-701-8": ("Japan International Cooperation Agency", 10),
    "GB-CHC-213890": ("Save the Children", 21), "CH-4": ("Swiss Agency for Development and Cooperation (SDC)", 10),
    "XM-DAC-41114": ("United Nations Development Programme", 40), "XM-DAC-41119": ("United Nations Population Fund", 40),
    "XM-DAC-41122": ("UNICEF", 40), "XM-DAC-41127": ("United Nations Office on Drugs and Crime", 40),
    "US-GOV-1": ("U.S. Agency for International Development", 10), "XM-DAC-928": ("World Health Organization", 40),
    "44000": ("World Bank", 40), "XM-DAC-47045": ("The Global Fund to Fight AIDS, Tuberculosis and Malaria", 40),
    "XM-DAC-988": ("International Fund for Agricultural Development", 40), "XM-DAC-47129": ("Global Environment Facility", 40),
    "XM-DAC-44001": ("International Monetary Fund", 40),
}
# (reporting org, extra participants [(role, ref or None, name)], currency, title, Lao title, sectors
#  [(code, percentage or None)], total disbursed in the currency, country (LA unless said))
ACTIVITIES = [
    ("XM-DAC-41122", [(1, "AU-5", None)], "USD", "Maternal, newborn and child health and nutrition", "ໂຄງການສຸຂະພາບແມ່ ແລະ ເດັກ",
     [("12240", 60), ("13020", 40)], 6_400_000, "LA"),
    ("XM-DAC-41122", [], "USD", "Basic education quality and inclusion", None, [("11220", 100)], 4_800_000, "LA"),
    ("XM-DAC-41122", [], "USD", "Water, sanitation and hygiene in schools and health centres", None,
     [("14030", 70), ("12261", 30)], 3_100_000, "LA"),
    ("AU-5", [(4, None, "Lao Red Cross")], "AUD", "Health systems strengthening: primary health care", None,
     [("12220", 100)], 9_500_000, "LA"),
    ("AU-5", [], "AUD", "Basic Education Quality and Access in Lao PDR (BEQUAL)", None, [("11220", 80), ("11130", 20)], 21_000_000, "LA"),
    ("AU-5", [], "AUD", "Mine action: UXO clearance and victim assistance", "ການເກັບກູ້ລະເບີດບໍ່ທັນແຕກ", [("15250", 100)], 7_200_000, "LA"),
    ("AU-5", [], "AUD", "Public service reform and statistics", None, [("15110", 100)], 3_400_000, "LA"),
    ("XM-DAC-928", [(1, "US-GOV-1", None)], "USD", "Universal health coverage: health financing and governance", None,
     [("12110", 70), ("12181", 30)], 2_900_000, "LA"),
    ("XM-DAC-928", [], "USD", "Food and drug safety regulation", None, [("12191", 100)], 800_000, "LA"),
    ("44000", [], "USD", "Health and Nutrition Services Access Project", None, [("12220", 50), ("12240", 50)], 18_000_000, "LA"),
    ("44000", [], "USD", "Learning and equity in basic education", None, [("11220", 100)], 12_500_000, "LA"),
    ("44000", [], "USD", "Lao road sector project: climate-resilient roads", None, [("21020", 100)], 15_000_000, "LA"),
    ("44000", [], "USD", "Fiscal management and debt reform", None, [("15111", 60), ("15142", 40)], 6_000_000, "LA"),
    ("44000", [], "USD", "Landscapes and livelihoods", None, [("31220", 60), ("41030", 40)], 9_000_000, "LA"),
    ("XM-DAC-47045", [(4, None, "Ministry of Health")], "USD", "Malaria and tuberculosis grant", None,
     [("12262", 60), ("12263", 40)], 14_000_000, "LA"),
    ("XM-DAC-41119", [], "USD", "Reproductive health and family planning", None, [("13020", 100)], 2_200_000, "LA"),
    ("GB-CHC-213890", [(1, "AU-5", None)], "LAK", "Early childhood and basic education in remote districts",
     "ໂຄງການການສຶກສາຂັ້ນພື້ນຖານ", [("11240", 100)], 42_000_000_000, "LA"),
    ("XM-DAC-701-8", [], "JPY", "Teacher training quality improvement", None, [("11130", 100)], 900_000_000, "LA"),
    ("XM-DAC-701-8", [], "JPY", "National Road No. 9 improvement", None, [("21020", 100)], 3_800_000_000, "LA"),
    ("XM-DAC-701-8", [], "JPY", "Irrigation and agricultural productivity", None, [("31140", 100)], 700_000_000, "LA"),
    ("XM-DAC-701-8", [], "JPY", "UXO survey and clearance capacity", None, [("15250", 100)], 400_000_000, "LA"),
    ("XI-IATI-EC_INTPA", [], "EUR", "Education sector budget support", None, [("11110", 100)], 25_000_000, "LA"),
    ("XI-IATI-EC_INTPA", [(4, "XM-DAC-41127", None)], "EUR", "Drug control and alternative development", None,
     [("16063", 100)], 3_000_000, "LA"),
    ("XI-IATI-EC_INTPA", [], "EUR", "Forest law enforcement, governance and trade", None, [("41010", 50), ("31220", 50)], 5_500_000, "LA"),
    ("XI-IATI-EC_INTPA", [], "EUR", "Public finance management and macroeconomic stability", None, [("15111", 100)], 8_000_000, "LA"),
    ("US-GOV-1", [(4, None, "HALO Trust")], "USD", "UXO clearance and risk education", None, [("15250", 100)], 45_000_000, "LA"),
    ("US-GOV-1", [(3, "XM-DAC-41127", None)], "USD", "Counter-narcotics and law enforcement cooperation", None,
     [("16063", 70), ("15210", 30)], 4_500_000, "LA"),
    ("US-GOV-1", [], "USD", "Trade facilitation and WTO accession follow-up", None, [("33120", 100)], 5_000_000, "LA"),
    ("XM-DAC-41114", [(1, "XM-DAC-47129", None)], "USD", "Biodiversity and protected area landscapes", None,
     [("41030", 100)], 3_800_000, "LA"),
    ("XM-DAC-41114", [], "USD", "Governance and rule of law", None, [("15130", 60), ("15150", 40)], 2_700_000, "LA"),
    ("XM-DAC-41114", [(1, "XM-DAC-47129", None)], "USD", "UXO sector support to the National Regulatory Authority", None,
     [("15250", 100)], 2_400_000, "LA"),
    ("XM-DAC-5-7", [(1, "DE-1", None)], "EUR", "Agroecology and rural development in the northern uplands", None,
     [("31120", 50), ("43040", 50)], 6_000_000, "LA"),
    ("XM-DAC-5-7", [(1, "DE-1", None)], "EUR", "Legal and institutional reform: rule of law", None, [("15130", 100)], 2_500_000, "LA"),
    ("XM-DAC-5-7", [(1, "DE-1", None)], "EUR", "Technical and vocational education and training", None, [("11330", 100)], 7_000_000, "LA"),
    ("XM-DAC-5-7", [(1, "DE-1", None)], "EUR", "Climate-smart forest management", None, [("41010", 100)], 4_000_000, "LA"),
    ("XM-DAC-41301", [], "USD", "Agricultural land use planning and soil health", None, [("31130", 100)], 1_600_000, "LA"),
    ("XM-DAC-41301", [], "USD", "Agrobiodiversity for food security", None, [("41030", 50), ("31120", 50)], 1_200_000, "LA"),
    ("XM-DAC-988", [], "USD", "Rural livelihoods and nutrition", None, [("43040", 70), ("31120", 30)], 10_000_000, "LA"),
    ("XM-DAC-46004", [], "USD", "Secondary and vocational education sector development", None, [("11320", 60), ("11330", 40)], 11_000_000, "LA"),
    ("XM-DAC-46004", [], "USD", "Water supply and sanitation in small towns", None, [("14020", 100)], 9_000_000, "LA"),
    ("XM-DAC-46004", [], "USD", "Irrigation development in the Mekong corridor", None, [("31140", 100)], 7_500_000, "LA"),
    ("XM-DAC-46004", [], "USD", "Rural roads connectivity (Cambodia)", None, [("21020", 100)], 20_000_000, "KH"),
    ("CH-4", [], "CHF", "Skills for employment", None, [("11330", 100)], 3_200_000, "LA"),
    ("CH-4", [], "CHF", "Northern uplands rural development", None, [("43040", 100)], 4_100_000, "LA"),
    ("FR-3", [], "EUR", "Coffee and agroforestry value chains", None, [("31120", 100)], 3_000_000, "LA"),
    ("XM-DAC-44001", [], "USD", "Macroeconomic statistics technical assistance", None, [("15142", 100)], 600_000, "LA"),
    ("XM-DAC-41127", [(1, "US-GOV-1", None)], "USD", "Border liaison offices against drug trafficking", None, [("16063", 100)], 1_500_000, "LA"),
]


def _narrative(text: str, lang: str | None = None) -> str:
    return f"<narrative{' xml:lang=' + quoteattr(lang) if lang else ''}>{escape(text)}</narrative>"


def _org(tag: str, role: int | None, ref: str | None, name: str | None) -> str:
    name = name or ORGS[ref][0]
    attrs = (f' role="{role}"' if role else "") + (f" ref={quoteattr(ref)}" if ref else "")
    if ref in ORGS:
        attrs += f' type="{ORGS[ref][1]}"'
    return f"<{tag}{attrs}>{_narrative(name)}</{tag}>"


def _quarters(rng: random.Random, start: dt.date, n: int) -> list[dt.date]:
    days = []
    for i in range(n):
        month = (start.month - 1 + 3 * i) % 12 + 1
        year = start.year + (start.month - 1 + 3 * i) // 12
        days.append(dt.date(year, month, rng.randint(5, 25)))
    return days


def activity(rng: random.Random, n: int, spec) -> str:
    ref, others, currency, title, title_lo, sectors, total, country = spec
    ident = f"{ref}-LA-{2021 + n % 4}-{n:03d}"
    start = dt.date(2021 + n % 3, 1 + (n * 5) % 12, 1)
    dates = _quarters(rng, start, 14)  # three and a half years of quarterly payments from its start
    dates = [d for d in dates if d <= dt.date(2026, 2, 20)]  # (the file was generated on 3 March 2026)
    share = [rng.uniform(0.6, 1.4) for _ in dates]
    spent = [total * s / sum(share) for s in share]
    title_xml = _narrative(title, None) + (_narrative(title_lo, "lo") if title_lo else "")
    parts = [_org("participating-org", 1 if not any(r == 1 for r, _x, _y in others) else 3, ref, None)]
    parts += [_org("participating-org", role, oref, oname) for role, oref, oname in others]
    sector_xml = "".join(f'<sector vocabulary="1" code="{c}"' + (f' percentage="{p}"' if p is not None else "") + "/>"
                         for c, p in sectors)
    tx = [f'<transaction><transaction-type code="2"/><transaction-date iso-date="{start.isoformat()}"/>'
          f'<value currency="{currency}" value-date="{start.isoformat()}">{round(total * 1.1)}</value></transaction>']
    for day, amount in zip(dates, spent, strict=True):
        kind = 4 if ref.startswith("GB-CHC") else 3
        tx.append(f'<transaction><transaction-type code="{kind}"/><transaction-date iso-date="{day.isoformat()}"/>'
                  f'<value currency="{currency}" value-date="{day.isoformat()}">{round(amount)}</value></transaction>')
    status = 2 if dates and dates[-1] >= dt.date(2025, 6, 1) else 3
    return (f'<iati-activity last-updated-datetime="2026-02-{10 + n % 18:02d}T09:00:00Z" xml:lang="en" '
            f'default-currency="{currency}" hierarchy="1">'
            f"<iati-identifier>{escape(ident)}</iati-identifier>"
            f"{_org('reporting-org', None, ref, None)}"
            f"<title>{title_xml}</title>"
            f"<description>{_narrative(title + ' (demo data).')}</description>"
            f"{''.join(parts)}"
            f'<activity-status code="{status}"/>'
            f'<activity-date type="2" iso-date="{start.isoformat()}"/>'
            f'<recipient-country code="{country}" percentage="100"/>'
            f"{sector_xml}{''.join(tx)}</iati-activity>")


def document() -> str:
    rng = random.Random(SEED)
    body = "\n".join(activity(rng, n, spec) for n, spec in enumerate(ACTIVITIES, start=1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<iati-activities version="2.03" generated-datetime="{GENERATED}">\n{body}\n</iati-activities>\n')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data" / "demo-iati",
                        help="folder to write activities.xml to (default: data/demo-iati)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "activities.xml").write_text(document(), encoding="utf-8")
    print(f"wrote {args.out / 'activities.xml'} ({len(ACTIVITIES)} activities)")


if __name__ == "__main__":
    main()
