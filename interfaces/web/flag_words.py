"""The words of the compliance flags, what each check's flag means, and of their two
severities."""

from __future__ import annotations

from interfaces.web.i18n import N_

# The compliance checks (domain/compliance/registry.py): what each flag means.
FLAGS = {
    "C01": N_("Money received or used before approval"),
    "C02": N_("Approved by an authority other than the one required"),
    "C03": N_("Donor certificate not valid for the case"),
    "C04": N_("Donor certificate about to expire"),
    "C05": N_("Dossier incomplete or untranslated"),
    "C06": N_("Appraisal or consultation overdue"),
    "C07": N_("Not implemented six months after approval"),
    "C08": N_("Half-year or annual report overdue"),
    "C09": N_("Completion report or settlement overdue"),
    "C10": N_("Overspending"),
    "C11": N_("Money moved outside the approved period"),
    "C13": N_("Cash moved without the aid account"),
    "C14": N_("State-budget revenue not entered in the budget"),
    "C17": N_("Donor not notified of a refusal or revocation"),
    "C18": N_("Segregation of duties broken"),
    "C22": N_("Unaddressed humanitarian aid not managed by the Vietnam Fatherland Front"),
    "C23": N_("Closed without the required audit"),
    "C24": N_("Approved under the old rules with no transition review"),
}
SEVERITIES = {"critical": N_("Critical"), "warning": N_("Warning")}
