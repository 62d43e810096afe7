"""Applying a locale: which translations a build may use, and what it says about the rest.

Takes the locale's Translations and the build's policy; the parser and the build
call the :class:`Translator` with (context, source text, source location) and get
the translated text (and its PO location) or None, meaning "use the source".
Untranslated segments fall back to the source with a warning (I18N001); fuzzy
ones are used only with ``allow_fuzzy`` (and then the build is a draft), else they
fall back with a warning (I18N002); ``strict`` makes both errors.
"""

from __future__ import annotations

from report.diagnostics import Diagnostic, Location, Severity


class Translator:
    def __init__(self, translations, allow_fuzzy: bool = False, strict: bool = False):
        self.translations = translations
        self.allow_fuzzy = allow_fuzzy and not strict
        self.severity = Severity.ERROR if strict else Severity.WARNING
        self.used_fuzzy = False
        self.problems: list[Diagnostic] = []

    def __call__(self, context: str, text: str, where: Location) -> tuple[str, Location] | None:
        entry = self.translations.get(context, text)
        if entry is None:
            listed = self.translations.entries.get((context, text))
            if listed is not None:  # in the file, but msgstr is empty
                self._say("I18N001", f"untranslated ({context}): the source text is used", listed.location,
                          "translate this entry")
            else:
                self._say("I18N001", f"not in {self.translations.path} ({context}): the source text is used", where,
                          f"run `report i18n update {self.translations.language}`, then translate the new entry")
            return None
        if entry.fuzzy and not self.allow_fuzzy:
            self._say("I18N002", "fuzzy (unreviewed) translation not used: the source text is used", entry.location,
                      "review it and remove the fuzzy flag, or build with --allow-fuzzy for a draft")
            return None
        self.used_fuzzy |= entry.fuzzy
        return entry.text, entry.location

    def text(self, context: str, text: str | None, where: Location) -> str | None:
        """A plain string (title, organization, summary) in the locale, or the source."""
        if not text:
            return text
        found = self(context, text, where)
        return found[0].strip() if found else text

    def _say(self, code: str, message: str, where: Location, hint: str) -> None:
        self.problems.append(Diagnostic(code, self.severity, message, where, hint))
