"""Synthetic history for one agency and period, written as the dossier workflow would have written it.

`history_request` checks what was asked (HistoryInputError), `history_generate` writes it
(HistoryRefused when the agency cannot take it). See service.py for the run, story.py for the
choices, replay.py for how each move follows dossiers/workflow.py.
"""

from figures.history.params import HistoryInputError, HistoryRequest, history_request
from figures.history.replay import WorkflowMismatch
from figures.history.service import HistoryRefused, HistoryResult, history_generate

__all__ = [
    "HistoryInputError",
    "HistoryRefused",
    "HistoryRequest",
    "HistoryResult",
    "WorkflowMismatch",
    "history_generate",
    "history_request",
]
