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
