"""Briefing pages: embeds by id, errors with path:line, sanitized analyst Markdown."""

from __future__ import annotations

import json
import shutil
from pathlib import Path


from generator.outputs.briefings import sanitize
from tests.conftest import REPO, BuiltSite, run_cli


def _content_with(tmp_path: Path, name: str, text: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    (content / "briefings" / name).write_text(text, encoding="utf-8")
    return content


def test_unknown_id_fails_with_path_and_line(tmp_path: Path) -> None:
    content = _content_with(tmp_path, "draft.md", "---\ntitle: Draft\nlang: en\ndate: 2025-12-26\n---\nIntro.\n\n"
                            "::: card lavrov-shaibani-talk-2025-12-24\n\n::: statement syrian-sovereignty\n")
    proc = run_cli("check", str(content), "--format", "json")
    assert proc.returncode == 1
    found = [(d["code"], Path(d["path"]).name, d["line"], d["hint"]) for d in json.loads(proc.stdout)]
    assert found == [
        ("briefing-unknown-id", "draft.md", 8, "did you mean 'lavrov-shaibani-talks-2025-12-24'?"),
        ("briefing-unknown-id", "draft.md", 10, "'syrian-sovereignty' is one of the topics, not what '::: statement' embeds"),
    ]


def test_bad_front_matter_is_reported(tmp_path: Path) -> None:
    content = _content_with(tmp_path, "draft.md", "---\ntitle: Draft\nlang: fr\ndate: 2025-13-01\n---\nText\n")
    proc = run_cli("check", str(content), "--format", "json")
    assert proc.returncode == 1
    assert sorted(d["code"] for d in json.loads(proc.stdout)) == ["date-invalid", "enum"]


def test_sanitize_keeps_markdown_but_not_html_or_script_links() -> None:
    out = sanitize('**bold** <script>x</script> [a](javascript:alert(1)) [b](https://example.org) '
                   '[c](../meetings/x.md#y)\n[ref]: data:text/html,x\n')
    assert "**bold**" in out and "&lt;script>" in out and "<script>" not in out
    assert "[a](#" in out and "javascript" not in out and "data:text" not in out
    assert "[b](https://example.org)" in out and "[c](../meetings/x.md#y)" in out


def test_briefing_pages_and_indexes(example_site: BuiltSite) -> None:
    site = example_site.site
    ar = (site / "briefings/moscow-visit-2025-12/index.html").read_text(encoding="utf-8")
    assert 'href="../../meetings/lavrov-shaibani-talks-2025-12-24/"' in ar  # the embedded card links the sheet
    assert 'id="st-shaibani-relations-enter-new-era"' in ar                  # the embedded statement
    en_stub = (site / "en/briefings/moscow-visit-2025-12/index.html").read_text(encoding="utf-8")
    # issue 21.3: the note names the language in the reader's words and links the real briefing
    assert 'available in Arabic only&#58; <a href="../../../briefings/moscow-visit-2025-12/" hreflang="ar">read it</a>' in en_stub \
        or 'available in Arabic only: <a href="../../../briefings/moscow-visit-2025-12/" hreflang="ar">read it</a>' in en_stub
    ar_stub = (site / "briefings/russia-syria-new-phase/index.html").read_text(encoding="utf-8")
    assert 'بالإنجليزية فقط' in ar_stub and 'href="../../en/briefings/russia-syria-new-phase/"' in ar_stub
    assert (site / "briefings/moscow-visit-2025-12/index.html").is_file()
    assert (site / "en/briefings/russia-syria-new-phase/index.html").is_file()
    ar_index = (site / "briefings/index.html").read_text(encoding="utf-8")
    en_index = (site / "en/briefings/index.html").read_text(encoding="utf-8")
    assert "moscow-visit-2025-12/" in ar_index and "russia-syria-new-phase/" not in ar_index
    assert "russia-syria-new-phase/" in en_index and "moscow-visit-2025-12/" not in en_index
