"""A project with protected people and confidential material, written as its authors
would (Pandoc/Quarto syntax), translated into Russian the way a team does it, and
helpers that read a build's outputs as the public would see them."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

from tests.conftest import write_project


def _png(colour) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


INTRO = """\
---
title: Introduction
---

Farid Mammadov was held for five days[@un-2020, p. 3]. He was taken
[in Ganja]{.confidential public="in a western city"} by police. His lawyer,
[Leyla Aliyeva]{.confidential}, was not allowed in.^[Told by his brother Elnur on the phone.]{.confidential}

The interview[@interview-farid] confirms it.^[See [@un-2020, p. 4].] Mr MAMMADOV
said so again[@interview-guard; @un-2020, p. 5], and the cell of
F. Mammadov was cold[@un-2020, p. 5].[^[The guard on duty that night spoke to us under a promise of anonymity.]]{.confidential}

::: {.confidential}
The guard admitted the beatings to our researcher in a long conversation recorded at the station[@interview-farid, p. 2].
:::

## Where Farid Mammadov was held

| Name           | Held for |
|:---------------|---------:|
| Farid Mammadov |   5 days |

: People held {#tbl-held}

::: {#box-case .box title="The case of Farid Mammadov"}
Mammadov was released without charge[@ngo-2021].
:::

![The cell where the guard kept him](images/cell.png){#fig-cell .confidential fig-alt="A bare cell with a bench"}

![Detentions by month](images/chart.png){#fig-chart fig-alt="A chart of the detentions of Farid Mammadov and others"}

@fig-chart and @tbl-held give the counts[@ngo-2021].
"""

ANNEX = """\
---
title: Annex on the prison director
id: sec-annex
confidential: true
---

The director of the prison, a cousin of the governor, ordered the transfer[@ngo-2021].
"""

SOURCES = """\
- id: un-2020
  type: report
  author:
    - literal: United Nations
  title: Conditions of Detention
  number: A/75/123
  issued: 2020-06-01
  language: en
- id: ngo-2021
  type: webpage
  author:
    - literal: An NGO
  title: The Release of Farid Mammadov
  URL: https://example.org/page
  accessed: 2024-04-30
  issued: 2021
  language: en
- id: interview-farid
  type: interview
  author:
    - family: Mammadov
      given: Farid
  title: Transcript of the interview at Ganja
  issued: 2024-03-02
  language: en
  confidential: true
  public-note:
    en: Interview with a former detainee, March 2024
    ru: Интервью с бывшим задержанным, март 2024 г.
- id: interview-guard
  type: interview
  title: Interview with the guard on duty
  issued: 2024-03-03
  language: en
  confidential: true
"""

PEOPLE = """\
- name: Farid Mammadov
  variants:
    en: [F. Mammadov, Mr Mammadov, Mammadov]
    ru: [Фарид Мамедов, Фарида Мамедова, Мамедова, Мамедов]
  pseudonym: {en: Witness A, ru: Свидетель А}
- name: Leyla Aliyeva
  pseudonym: Lawyer B
"""

FILES = {
    "report.yaml": """\
        title: Detentions in 2024
        organization: Test Org
        language: en
        date: 2024-05-01
        sections: [01-intro.md, 02-annex.md]
        citation-style: templates/notes.csl
        """,
    "sections/01-intro.md": INTRO,
    "sections/02-annex.md": ANNEX,
    "references/sources.yaml": SOURCES,
    "references/people.yaml": PEOPLE,
    "images/cell.png": _png((120, 120, 120)),
    "images/chart.png": _png((20, 60, 200)),
}

# Every source text → its Russian (msgid → msgstr), as a translator fills locales/ru.po.
RUSSIAN = {
    "Detentions in 2024": "Задержания в 2024 году",
    "Test Org": "Тестовая организация",
    "Introduction": "Введение",
    "Annex on the prison director": "Приложение о директоре тюрьмы",
    "Farid Mammadov was held for five days[@un-2020, p. 3]. He was taken\n[in Ganja]{.confidential public=\"in a "
    "western city\"} by police. His lawyer,\n[Leyla Aliyeva]{.confidential}, was not allowed in.^[Told by his "
    "brother Elnur on the phone.]{.confidential}":
        "Фарид Мамедов содержался под стражей пять дней[@un-2020, p. 3]. Его задержали\n[в Гяндже]{.confidential "
        "public=\"в одном из западных городов\"} полицейские. Его адвоката,\n[Лейлу Алиеву]{.confidential}, не "
        "пустили.^[Со слов его брата Эльнура по телефону.]{.confidential}",
    "The interview[@interview-farid] confirms it.^[See [@un-2020, p. 4].] Mr MAMMADOV\nsaid so again"
    "[@interview-guard; @un-2020, p. 5], and the cell of\nF. Mammadov was cold[@un-2020, p. 5].[^[The guard on duty "
    "that night spoke to us under a promise of anonymity.]]{.confidential}":
        "Интервью[@interview-farid] это подтверждает.^[См. [@un-2020, p. 4].] Камера МАМЕДОВА\nбыла холодной"
        "[@interview-guard; @un-2020, p. 5], как и сказал\nМамедов[@un-2020, p. 5].[^[Дежурный охранник говорил с "
        "нами при условии анонимности.]]{.confidential}",
    "The guard admitted the beatings to our researcher in a long conversation recorded at the "
    "station[@interview-farid, p. 2].":
        "Охранник признал избиения в долгом разговоре с нашим исследователем, записанном в "
        "участке[@interview-farid, p. 2].",
    "Where Farid Mammadov was held": "Где содержался Фарид Мамедов",
    "Name": "Имя",
    "Held for": "Срок",
    "Farid Mammadov": "Фарид Мамедов",
    "5 days": "5 дней",
    ": People held {#tbl-held}": ": Задержанные {#tbl-held}",
    "The case of Farid Mammadov": "Дело Фарида Мамедова",
    "Mammadov was released without charge[@ngo-2021].": "Мамедов был освобождён без обвинения[@ngo-2021].",
    "The cell where the guard kept him": "Камера, где его держал охранник",
    "A bare cell with a bench": "Пустая камера со скамьёй",
    "Detentions by month": "Задержания по месяцам",
    "A chart of the detentions of Farid Mammadov and others": "График задержаний Фарида Мамедова и других",
    "@fig-chart and @tbl-held give the counts[@ngo-2021].": "@fig-chart и @tbl-held дают цифры[@ngo-2021].",
    "The director of the prison, a cousin of the governor, ordered the transfer[@ngo-2021].":
        "Директор тюрьмы, двоюродный брат губернатора, приказал перевести его[@ngo-2021].",
}

# What the public edition must never show, whatever the case or the language.
WITHHELD = ("Farid", "Mammadov", "Фарид", "Мамедов", "Ganja", "Гяндж", "Leyla", "Aliyeva", "Лейл", "Алиев",
            "Elnur", "Эльнур", "admitted the beatings", "признал избиения", "promise of anonymity",
            "условии анонимности", "cousin of the governor", "двоюродный брат губернатора", "prison director",
            "директоре тюрьмы", "Transcript of the interview", "Interview with the guard", "bare cell",
            "Пустая камера", "cell.png")


def make_edition_project(root: Path, russian: bool = False, files: dict | None = None) -> Path:
    """The project at ``root``; with ``russian``, its locales/ru.po made by ``report i18n
    update`` and filled from RUSSIAN."""
    write_project(root, {**FILES, **(files or {})})
    if russian:
        translate(root, RUSSIAN)
    return root


def translate(root: Path, table: dict) -> None:
    from babel.messages.pofile import read_po, write_po
    from click.testing import CliRunner

    from report.cli import main

    result = CliRunner().invoke(main, ["i18n", "update", "ru", "--project", str(root)])
    assert result.exit_code == 0, result.output
    path = root / "locales" / "ru.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = table[message.id]
            message.flags.discard("fuzzy")
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=0)


def fold(text: str) -> str:
    """Lower case, no diacritics, one space between words: how a leak is searched for."""
    text = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def outputs_text(out: Path) -> dict[str, str]:
    """Everything a reader (or a tool) can get out of each public file, folded: the
    DOCX's every XML part (text, properties, alt texts, bookmarks), the PDF's text and
    metadata, the HTML (text and attributes), model.json."""
    import pdfplumber

    found = {}
    with zipfile.ZipFile(out / "report.docx") as docx:
        found["docx"] = " ".join(docx.read(n).decode("utf-8") for n in docx.namelist() if n.endswith((".xml", ".rels")))
    with pdfplumber.open(out / "report.pdf") as pdf:
        found["pdf"] = "\n".join(page.extract_text() or "" for page in pdf.pages) + " " + " ".join(
            str(v) for v in (pdf.metadata or {}).values())
    found["html"] = (out / "report.html").read_text(encoding="utf-8")
    found["model.json"] = (out / "model.json").read_text(encoding="utf-8")
    return {name: fold(text) for name, text in found.items()}


def docx_texts(out: Path) -> tuple[str, str]:
    """The visible text of word/document.xml and word/footnotes.xml (w:t runs joined)."""
    with zipfile.ZipFile(out / "report.docx") as docx:
        parts = [docx.read(name).decode("utf-8") for name in ("word/document.xml", "word/footnotes.xml")]
    return tuple("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", part)) for part in parts)


def html_text_and_attributes(out: Path) -> tuple[str, str]:
    from lxml import html

    tree = html.fromstring((out / "report.html").read_bytes())
    for style in tree.iter("style"):
        style.drop_tree()
    attributes = " ".join(value for element in tree.iter() for value in element.attrib.values()
                          if not value.startswith("data:"))
    return " ".join(tree.text_content().split()), attributes


def pdf_text(out: Path) -> str:
    import pdfplumber

    with pdfplumber.open(out / "report.pdf") as pdf:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
