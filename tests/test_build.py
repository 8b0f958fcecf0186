"""Real papermill + nbconvert runs on tiny purpose-built notebooks (a real kernel, no mocks)."""

import json

import nbformat
import pytest

from milresearch.build import ReportTask, build_reports, load_state

pytestmark = pytest.mark.slow


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell('country = "XXX"\nlang = "en"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(
        notebooks / "tiny.ipynb",
        "from milresearch import render\nrender.HTML('<nav class=\"mr-toc\"></nav>')",
        'render.heading(f"Report for {country}", "sec-main")',
        'render.paragraph("<script>alert(1)</script> stays text")',
        "SECRET_CODE_MARKER = 41 + 1\nSECRET_CODE_MARKER",
    )
    _notebook(notebooks / "broken.ipynb", 'raise ValueError("boom in cell")')
    _notebook(notebooks / "exits.ipynb", "import sys\nsys.exit(3)")
    return tmp_path


def _task(name, notebook, country="AAA", data_key="k1"):
    return ReportTask(name, "en", notebook, {"country": country, "lang": "en"}, data_key)


def _build(project, tasks, **kwargs):
    return build_reports(tasks, notebooks_dir=project / "notebooks", reports_dir=project / "reports",
                         timeout=60, **kwargs)  # fmt: skip


def test_a_real_run_renders_self_contained_html_without_code(project):
    summary = _build(project, [_task("AAA", "tiny.ipynb")])
    assert [r.status for r in summary.results] == ["built"]
    html = (project / "reports/html/en/AAA.html").read_text(encoding="utf-8")
    assert "Report for AAA" in html
    assert "SECRET_CODE_MARKER" not in html  # code cells are not shown
    assert "42" in html  # but their outputs are
    assert "&lt;script&gt;alert(1)&lt;/script&gt; stays text" in html
    assert "<script src=" not in html  # no script from outside the file
    assert '<a href="#sec-main">Report for AAA</a>' in html  # the TOC was filled
    executed = nbformat.read(project / "reports/notebooks/en/AAA.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
    index = (project / "reports/html/index.html").read_text(encoding="utf-8")
    assert 'href="en/AAA.html"' in index


def test_an_unchanged_report_is_not_rebuilt_and_a_changed_one_is(project):
    _build(project, [_task("AAA", "tiny.ipynb"), _task("BBB", "tiny.ipynb", "BBB")])
    again = _build(project, [_task("AAA", "tiny.ipynb"), _task("BBB", "tiny.ipynb", "BBB", "k2")])
    assert [r.status for r in again.results] == ["up to date", "built"]
    forced = _build(project, [_task("AAA", "tiny.ipynb")], force=True)
    assert [r.status for r in forced.results] == ["built"]


def test_a_failing_report_keeps_its_last_good_html_and_the_others_finish(project):
    _build(project, [_task("AAA", "tiny.ipynb")])
    good = (project / "reports/html/en/AAA.html").read_bytes()
    # The same report now runs a notebook that raises, beside one that calls sys.exit.
    summary = _build(
        project,
        [
            _task("AAA", "broken.ipynb"),
            _task("CCC", "exits.ipynb", "CCC"),
            _task("DDD", "tiny.ipynb", "DDD"),
        ],
        workers=2,
    )
    status = {r.name: r for r in summary.results}
    assert status["AAA"].status == "failed"
    assert "ValueError: boom in cell" in status["AAA"].error
    assert status["CCC"].status == "failed"
    assert status["DDD"].status == "built"
    assert (project / "reports/html/en/AAA.html").read_bytes() == good
    assert (project / "reports/notebooks/en/AAA.failed.ipynb").exists()
    state = load_state(project / "reports")
    assert state["en/AAA"]["status"] == "failed"
    index = (project / "reports/html/index.html").read_text(encoding="utf-8")
    assert "failed — showing the last good version" in index
    assert (
        json.loads((project / "reports/.build/state.json").read_text())["en/DDD"]["status"]
        == "built"
    )
