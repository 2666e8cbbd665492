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

# Each included by the app itself under /cases, not through a router of their own: FastAPI
# matches an included router's routes again at each level it is nested in.
PHASES: tuple[APIRouter, ...] = tuple(
    phase.router for phase in (opening, dossier, appraisal, decision, funds, amendments,
                               sanctions, reporting, closure, reads))
