"""Case commands and reads under /api/v1/cases (SPEC §6), one module per phase."""

from fastapi import APIRouter

from interfaces.http.routes.cases import (
    amendments,
    appraisal,
    closure,
    decision,
    dossier,
    funds,
    opening,
    reads,
    reporting,
    sanctions,
)

router = APIRouter(tags=["cases"])
for _phase in (opening, dossier, appraisal, decision, funds, amendments, sanctions, reporting,
               closure, reads):
    router.include_router(_phase.router, prefix="/cases")
