"""No overwrite, --force keeps a backup, atomic writes, unique ids, clean errors."""

from __future__ import annotations

import shutil

import yaml

from tests.intake.conftest import REPO, run

ARGS = ("--published", "2025-12-24")
TARGET = "sources/asharq-2025-12-24-russia-syria.yaml"


def test_refuses_to_overwrite(seed, registries):
    assert run("new", str(seed), *ARGS, "--content", str(registries)).returncode == 0
    target = registries / TARGET
    target.write_text(target.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    before = target.read_bytes()
    out = run("new", str(seed), *ARGS, "--content", str(registries))
    assert out.returncode == 1
    assert "already drafted in" in out.stderr and TARGET.split("/")[1] in out.stderr
    assert "--force" in out.stderr and "Traceback" not in out.stderr
    assert target.read_bytes() == before
    assert not list(target.parent.glob("*.bak-*")) and not list(target.parent.glob(".*.tmp"))


def test_refuses_to_overwrite_the_example(seed, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    before = (content / TARGET).read_bytes()
    out = run("new", str(seed), *ARGS, "--content", str(content))
    assert out.returncode == 1 and "already drafted in" in out.stderr
    assert (content / TARGET).read_bytes() == before


def test_refuses_the_same_article_in_another_form(seed, registries, tmp_path):
    """Same normalized text (another file name, CRLF, extra blank lines, other hamza forms): refused."""
    assert run("new", str(seed), *ARGS, "--content", str(registries)).returncode == 0
    copy = tmp_path / "copy of the seed.txt"
    copy.write_bytes(seed.read_text(encoding="utf-8").replace("\n", "\r\n\r\n").replace("أكد", "اكد").encode())
    out = run("new", str(copy), *ARGS, "--content", str(registries), "--id", "another-id")
    assert out.returncode == 1 and "already drafted in" in out.stderr


def test_force_writes_a_new_file_beside(seed, registries):
    assert run("new", str(seed), *ARGS, "--content", str(registries)).returncode == 0
    target = registries / TARGET
    target.write_text(target.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    edited = target.read_bytes()
    out = run("new", str(seed), *ARGS, "--content", str(registries), "--force")
    assert out.returncode == 0, out.stderr
    assert target.read_bytes() == edited                        # never written over
    second = target.with_name("asharq-2025-12-24-russia-syria-2.yaml")
    assert second.is_file() and f"wrote {second}" in out.stdout
    assert not list(target.parent.glob("*.bak-*")) and not list(target.parent.glob(".*.tmp"))
    assert run("check", str(registries)).returncode == 0      # both drafts check: ids stay unique


def test_ids_stay_unique(seed, registries):
    out = run("new", str(seed), *ARGS, "--content", str(registries), "--id", "sergey-lavrov")
    assert out.returncode == 2 and "already used" in out.stderr
    assert run("new", str(seed), *ARGS, "--content", str(registries), "--id", "first").returncode == 0
    assert run("new", str(seed), *ARGS, "--content", str(registries), "--id", "second", "--force").returncode == 0
    data = [yaml.safe_load((registries / "sources" / f"{n}.yaml").read_text(encoding="utf-8")) for n in ("first", "second")]
    ids = [d["meetings"][0]["id"] for d in data] + [s["id"] for d in data for s in d["statements"]]
    assert len(ids) == len(set(ids))
    assert run("check", str(registries)).returncode == 0


def test_usage_errors_are_clean(seed, registries, tmp_path):
    cases = [
        (("new", str(seed), "--content", str(registries)), 2, "--published"),
        (("new", str(seed), *ARGS, "--content", str(registries), "--outlet", "asharq-news"), 2, "did you mean 'asharq'"),
        (("new", str(seed), *ARGS, "--content", str(registries), "--id", "Bad Id"), 2, "not a usable id"),
        (("new", str(seed), *ARGS, "--content", str(registries), "--url", "ftp://x"), 2, "http"),
        (("new", str(tmp_path / "missing.txt"), *ARGS, "--content", str(registries)), 2, "no such article"),
    ]
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("عنوان".encode("utf-8") + b"\n\n\xe9t\xe9\n")
    cases.append((("new", str(bad), *ARGS, "--content", str(registries)), 1, "not UTF-8"))
    for args, code, words in cases:
        out = run(*args)
        assert out.returncode == code, (args, out.stdout, out.stderr)
        assert words in out.stderr and "Traceback" not in out.stderr
    assert not (registries / "sources").exists() or not list((registries / "sources").iterdir())
