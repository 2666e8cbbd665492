"""C05: the dossier at submission, each item present and in Vietnamese."""

from __future__ import annotations

from domain import policy
from domain.compliance.context import Context


# C05 [warning] Decree 80/2020 Art. 8: the dossier's items, and a notarised Vietnamese
# translation of a document in a foreign language.
def c05_dossier_incomplete(cx: Context) -> None:
    """An item of the dossier missing (submitted with a deviation), or attached only in a
    foreign language, at a submission."""
    cx.from_deviations("dossier_incomplete", "dossier incomplete at submission")
    language = cx.profile.params.get("dossier_translation_language")
    if language is None:
        return
    submitted = cx.h.named("DossierSubmitted", which=None)
    attached = cx.h.named("DocumentAttached", which=None)
    for i, on in enumerate(cx.facts.submitted_on):
        documents = [(d, attached[j:j + 1]) for j, d in enumerate(cx.case.documents)
                     if d["attached_on"] <= on]
        missing = policy.untranslated_dossier_items([d for d, _ in documents],
                                                    str(language.value))
        if missing:
            cx.add("C05", f"at submission on {on.isoformat()}: no Vietnamese translation of "
                   f"{', '.join(missing)}", cx.cite("dossier_translation_language"), on,
                   evidence=submitted[i:i + 1] + [v for d, vs in documents
                                                   if d["kind"] in missing for v in vs],
                   verified=cx.profile.verified("dossier_translation_language"))
