"""The flow run's logs hold a line per step (core.progress), as the command line shows them."""
from __future__ import annotations

import logging

from prefect import get_run_logger

from core import progress

LOGGER = "povmon.steps"


class StepLog(progress.Reporter):
    """Writes each finished step's line to the Prefect logs of the flow run under way."""

    def __init__(self) -> None:
        """Log through Prefect's API handlers at INFO, whatever PREFECT_LOGGING_LEVEL keeps of Prefect's own
        logs, and not to the console: the command line shows the steps its own way (povmon/progress_view.py)."""
        logger = logging.getLogger(LOGGER)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        logger.handlers = list(logging.getLogger("prefect.flow_runs").handlers)
        self.log = logging.LoggerAdapter(logger, dict(get_run_logger().extra))

    def finished(self, step: progress.Step) -> None:
        """One line: the step, its counts, its seconds (a warning when it failed)."""
        self.log.log(logging.WARNING if step.failed else logging.INFO, "step %s", step.describe())
