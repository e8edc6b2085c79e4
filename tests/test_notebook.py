"""The exploration notebook runs end to end in a real kernel."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "explore.ipynb"


def test_notebook_runs_and_shows_findings():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    outputs = [o for cell in code for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "critical" in text and "lost-hyphen" in text

    def cell_text(marker: str) -> str:
        cell = next(cell for cell in code if marker in cell.source)
        return "\n".join(str(o.get("data", {}).get("text/plain", "")) + o.get("text", "") for o in cell.outputs)

    # the findings by check and severity: one row per check, a column per severity
    table = cell_text("pivot_table").splitlines()
    assert table[0].split()[:4] == ["severity", "critical", "major", "minor"]
    rows = {line.split()[0]: [int(n) for n in line.split()[1:]] for line in table[2:]}
    assert rows["lost-hyphen"][:2] == [0, 0] and rows["lost-hyphen"][2] >= 2 and rows["terminology"][0] >= 1
    # the plot of segment scores is an inline PNG
    plot = next(cell for cell in code if "plt.subplots" in cell.source)
    assert any("image/png" in o.get("data", {}) for o in plot.outputs)
    # the pair re-checked with a raised adequacy threshold gets the finding the default does not give
    assert re.search(r"default: 0 adequacy findings; minor_below=0\.\d+: 1 \(minor\)", cell_text("check_params"))
    assert not list(NOTEBOOK.parent.glob("*.png"))  # the notebook saves nothing into the repository
