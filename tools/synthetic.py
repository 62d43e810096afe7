"""Synthetic reports for the benchmark: the shipped report's body K times over.

Each copy gets its own section titles, registry keys (``key--cN``) and incident
ids, so notes renumber and every "first" citation stays a first citation.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml


def make_synthetic(source: Path, dest: Path, copies: int) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "sections").mkdir(parents=True)
    shutil.copytree(source / "templates", dest / "templates")
    (dest / "references").mkdir()
    config = yaml.safe_load((source / "report.yaml").read_text(encoding="utf-8"))
    registry = yaml.safe_load((source / "references/sources.yaml").read_text(encoding="utf-8"))
    incidents_path = source / "references/incidents.yaml"
    incidents = yaml.safe_load(incidents_path.read_text(encoding="utf-8")) if incidents_path.exists() else []
    keys = sorted((entry["id"] for entry in registry), key=len, reverse=True)
    incident_ids = sorted((i["id"] for i in incidents), key=len, reverse=True)
    key_pattern = re.compile(r"@(" + "|".join(re.escape(k) for k in keys) + r")\b")
    id_pattern = re.compile(r"\{#(" + "|".join(re.escape(i) for i in incident_ids) + r") ") if incident_ids else None
    names, entries, all_incidents = [], [], []
    for n in range(1, copies + 1):
        suffix = f"--c{n}"
        for name in config["sections"]:
            text = (source / "sections" / name).read_text(encoding="utf-8")
            text = key_pattern.sub(lambda m: f"@{m.group(1)}{suffix}", text)
            if id_pattern:
                text = id_pattern.sub(lambda m: "{#" + m.group(1) + suffix + " ", text)
            text = re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1)} ({n})", text, count=1, flags=re.M)
            if re.search(r"^id: ", text, flags=re.M):
                text = re.sub(r"^id: (.*)$", lambda m: f"id: {m.group(1)}-{n}", text, count=1, flags=re.M)
            else:
                slug = re.sub(r"^\d+-", "", Path(name).stem)
                text = text.replace("---\n", f"---\nid: {slug}-{n}\n", 1)
            new_name = f"{n:03d}-{name}"
            (dest / "sections" / new_name).write_text(text, encoding="utf-8")
            names.append(new_name)
        entries += [{**entry, "id": entry["id"] + suffix} for entry in registry]
        all_incidents += [{**inc, "id": inc["id"] + suffix, "sources": [s + suffix for s in inc["sources"]]}
                          for inc in incidents]
    config["sections"] = names
    (dest / "report.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (dest / "references/sources.yaml").write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if incidents:
        shutil.copy(source / "references/instruments.yaml", dest / "references/instruments.yaml")
        (dest / "references/incidents.yaml").write_text(yaml.safe_dump(all_incidents, allow_unicode=True, sort_keys=False),
                                                        encoding="utf-8")
    return dest


def make_figure_report(source: Path, dest: Path, photos: list[Path] | None, sections: int = 50, tables: int = 30,
                       figures: int = 40) -> Path:
    """The shipped report's body repeated to ``sections`` sections, with ``tables``
    captioned pipe tables and ``figures`` captioned photographs
    (``![Caption](images/p01.jpg){#fig-p01 fig-alt="…" width=80%}``, copied from
    ``photos``), spread evenly, each referred to in the sentence before it (``@fig-p01``,
    ``@tbl-3``). With ``photos`` None, the same report without the figures: the same
    text, each figure's paragraph removed and ``@fig-p01`` written out as "Figure 1"."""
    copies = -(-sections // 6)
    make_synthetic(source, dest, copies)
    config = yaml.safe_load((dest / "report.yaml").read_text(encoding="utf-8"))
    config["sections"] = config["sections"][:sections]
    (dest / "report.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for extra in sorted((dest / "sections").iterdir()):
        if extra.name not in config["sections"]:
            extra.unlink()
    # The registry entries and incidents of the sections left out go with them (an
    # incident never described is an error, an entry never cited a warning).
    text = "\n".join((dest / "sections" / name).read_text(encoding="utf-8") for name in config["sections"])
    incidents_path = dest / "references/incidents.yaml"
    cited = set(re.findall(r"@([\w:.#$%&+?<>~/-]+?)(?=[\s,;\]}]|[.:](?:\s|$))", text))
    if incidents_path.exists():
        incidents = [i for i in yaml.safe_load(incidents_path.read_text(encoding="utf-8"))
                     if "{#" + i["id"] + " " in text]
        cited.update(s for i in incidents for s in i["sources"])
        incidents_path.write_text(yaml.safe_dump(incidents, allow_unicode=True, sort_keys=False), encoding="utf-8")
    registry_path = dest / "references/sources.yaml"
    registry = yaml.safe_load(registry_path.read_text(encoding="utf-8"))
    suffix = f"--c{copies}"
    registry = [e for e in registry if not e["id"].endswith(suffix) or e["id"] in cited]
    registry_path.write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if photos is not None:
        (dest / "images").mkdir()
        for path in photos[:figures]:
            shutil.copyfile(path, dest / "images" / path.name)
    inserts: dict[int, list[str]] = {}
    for t in range(1, tables + 1):
        inserts.setdefault((t - 1) * sections // tables, []).append(_table(t))
    for f in range(1, figures + 1):
        label = f"fig-p{f:02d}"
        ref = f"@{label}" if photos is not None else f"Figure {f}"
        block = f"As {ref} shows, the site was photographed on arrival."
        if photos is not None:
            block += (f"\n\n![Site photographed on arrival, view {f}](images/p{f:02d}.jpg)"
                      f'{{#{label} fig-alt="A road with a barrier and a building behind it, view {f}" width=80%}}')
        inserts.setdefault((f - 1) * sections // figures, []).append(block)
    for index, name in enumerate(config["sections"]):
        if index not in inserts:
            continue
        path = dest / "sections" / name
        head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
        paragraphs = body.split("\n\n")
        # After the section's second paragraph (its body begins with a blank line), each block a
        # paragraph of its own; the builds check that no construct was cut.
        paragraphs[2:2] = inserts[index]
        path.write_text(head + "\n---\n" + "\n\n".join(paragraphs), encoding="utf-8")
    return dest


def _table(t: int) -> str:
    rows = ["| Region | Detained | Released | Missing |", "| :-- | --: | --: | --: |"]
    for r in range(1, 7):
        counts = ((t * 37 + r * 11) % 400, (t * 23 + r * 7) % 300, (t * 13 + r * 5) % 90)
        rows.append(f"| Region {t}.{r} | " + " | ".join(map(str, counts)) + " |")
    caption = f": Persons detained, released and missing, by region ({t}) {{#tbl-{t}}}"
    return "\n".join(rows) + f"\n\n{caption}\n\nSee @tbl-{t} for the counts."
