"""The papermill engine of report builds: nbclient's, writing the executed notebook once.

papermill's own engine writes the whole executed notebook at the start and the end of every
cell. A report notebook holds its charts inline (about 3 MB), so its 40 writes cost about a
second a report. This engine writes it when the run ends, which papermill does in a ``finally``:
a notebook whose cell failed, timed out or lost its kernel is still written, with the start time
of the cell that was running. A cell that runs long is still saved every
``autosave_cell_every`` seconds, as papermill does.
"""

from __future__ import annotations

import contextlib

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

ENGINE_NAME = "milresearch"
"""The name under which :class:`FinalSaveEngine` is registered with papermill."""


class _FinalSaveManager(NotebookExecutionManager):
    """papermill's execution manager, without the save at each cell's start and end."""

    _quiet = False

    @contextlib.contextmanager
    def _unsaved(self):
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def save(self, **kwargs) -> None:
        """Write the notebook, unless called from a cell's start or end."""
        if not self._quiet:
            super().save(**kwargs)

    def cell_start(self, cell, cell_index=None, **kwargs) -> None:
        """Mark the cell running (it is written with the notebook, at the end)."""
        with self._unsaved():
            super().cell_start(cell, cell_index, **kwargs)

    def cell_complete(self, cell, cell_index=None, **kwargs) -> None:
        """Mark the cell done (it is written with the notebook, at the end)."""
        with self._unsaved():
            super().cell_complete(cell, cell_index, **kwargs)


class FinalSaveEngine(NBClientEngine):
    """nbclient's engine with :class:`_FinalSaveManager` (papermill's ``execute_notebook``)."""

    @classmethod
    def execute_notebook(
        cls,
        nb,
        kernel_name,
        output_path=None,
        progress_bar=True,
        log_output=False,
        autosave_cell_every=30,
        **kwargs,
    ):
        """Run ``nb``; write it to ``output_path`` when it ends, however it ends."""
        manager = _FinalSaveManager(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        manager.notebook_start()
        try:
            cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
        finally:
            manager.cleanup_pbar()
            manager.notebook_complete()
        return manager.nb


papermill_engines.register(ENGINE_NAME, FinalSaveEngine)
