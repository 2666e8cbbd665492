"""Read-model storage: the view store, tracking table and projection runners."""

from infrastructure.views.background import BackgroundCatchUp
from infrastructure.views.diff import Difference
from infrastructure.views.runner import ProjectionRunner
from infrastructure.views.sql import ViewStore

__all__ = ["BackgroundCatchUp", "Difference", "ProjectionRunner", "ViewStore"]
