"""A small project translated into Arabic, Chinese (zh-CN, zh-TW), French and Spanish,
the way a team does it: ``report i18n extract`` and ``update``, then each PO entry
filled by a translator (here from the tables below). Used by test_un_languages.py."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_project

SOURCE = {
    "report.yaml": """\
        title: Report on the Right to Water
        organization: Test Org
        language: en
        date: 2024-03-03
        sections:
          - 01-intro.md
        citation-style: templates/notes.csl
        """,
    "sections/01-intro.md": """\
        ---
        title: Introduction
        ---

        The report of the Secretary-General A/71/782 describes the situation[@un-2020, p. 3].

        The data are at https://example.org/page for everyone.^[A free note with a [link](https://example.org/page).]

        Water is a right. Access, quality and price matter: each one counts; the report says so! Is it enough? The committee, the council and the assembly agree.

        | Country | Share |
        |---------|-------|
        | A       | 12    |
        """,
}

# The source paragraphs, in order (msgid → translation, per language).
_IDS = (
    "Report on the Right to Water",
    "Test Org",
    "Introduction",
    "The report of the Secretary-General A/71/782 describes the situation[@un-2020, p. 3].",
    "The data are at https://example.org/page for everyone.^[A free note with a [link](https://example.org/page).]",
    "Water is a right. Access, quality and price matter: each one counts; the report says so! Is it enough? "
    "The committee, the council and the assembly agree.",
)

_ZH_LONG = ("水是一项权利。获取、质量和价格都很重要：每一项都有意义；报告也这样说！这就够了吗？"
            "委员会、理事会和大会都同意。" * 6).strip()

TRANSLATIONS = {
    "ar": (
        "تقرير عن الحق في المياه",
        "منظمة الاختبار",
        "مقدمة",
        "يصف تقرير الأمين العام A/71/782 الحالة[@un-2020, p. 3].",
        "البيانات متاحة على https://example.org/page للجميع.^[ملاحظة حرة مع [رابط](https://example.org/page).]",
        "الماء حق. الوصول والجودة والسعر أمور مهمة: كل منها له وزنه؛ والتقرير يقول ذلك! هل هذا كاف؟ "
        "اللجنة والمجلس والجمعية متفقون.",
    ),
    "zh": (
        "关于水权的报告",
        "测试组织",
        "导言",
        "秘书长的报告 A/71/782 描述了这一情况[@un-2020, p. 3]。",
        "数据见 https://example.org/page 供所有人使用。^[附有[链接](https://example.org/page)的说明。]",
        _ZH_LONG,
    ),
    "fr": (
        "Rapport sur le droit à l'eau",
        "Organisation test",
        "Introduction",
        "Le rapport du Secrétaire général A/71/782 décrit la situation[@un-2020, p. 3].",
        "Les données sont sur https://example.org/page pour tous.^[Une note libre avec un [lien](https://example.org/page).]",
        "L'eau est un droit. L'accès, la qualité et le prix comptent : chacun compte ; le rapport le dit ! "
        "Est-ce assez ? Le comité, le conseil et l'assemblée sont d'accord « sans réserve ».",
    ),
    "es": (
        "Informe sobre el derecho al agua",
        "Organización de prueba",
        "Introducción",
        "El informe del Secretario General A/71/782 describe la situación[@un-2020, p. 3].",
        "Los datos están en https://example.org/page para todos.^[Una nota libre con un [enlace](https://example.org/page).]",
        "El agua es un derecho. El acceso, la calidad y el precio importan: cada uno cuenta; ¡el informe lo dice! "
        "¿Es suficiente? El comité, el consejo y la asamblea están de acuerdo.",
    ),
}
TRANSLATIONS["zh-TW"] = TRANSLATIONS["zh"]
# The table's cells ("A" and "12" stay as they are).
CELLS = {"ar": ("البلد", "الحصة"), "zh": ("国家", "份额"), "zh-TW": ("國家", "份額"), "fr": ("Pays", "Part"),
         "es": ("País", "Parte")}


def make_un_project(root: Path, languages=("ar", "zh")) -> Path:
    """The project at ``root`` with ``locales/<lang>.po`` for each of ``languages``:
    made by the project's own ``report i18n extract`` / ``update``, then filled."""
    from babel.messages.pofile import read_po, write_po
    from click.testing import CliRunner

    from report.cli import main

    write_project(root, SOURCE)
    runner = CliRunner()
    for args in (["i18n", "extract", "--project", str(root)],
                 ["i18n", "update", *languages, "--project", str(root)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    for language in languages:
        path = root / "locales" / f"{language}.po"
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        table = dict(zip(_IDS, TRANSLATIONS[language]))
        table.update({"Country": CELLS[language][0], "Share": CELLS[language][1], "A": "A", "12": "12"})
        for message in catalog:
            if message.id and message.id in table:
                message.string = table[message.id]
                message.flags.discard("fuzzy")
        missing = [message.id for message in catalog if message.id and not message.string]
        assert not missing, missing
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=0)
    return root
