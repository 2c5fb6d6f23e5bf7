"""The case table: how news text must sound, one row per phrase, every class of the
text-normalization taxonomy (tests/fixtures/normalize/cases.tsv)."""
from __future__ import annotations

from pathlib import Path

import pytest

from briefing.speech.normalize import normalize_for_speech

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "normalize" / "cases.tsv"


def read_cases() -> list[tuple[str, str, str]]:
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("# ") or line.startswith("class\t"):
            continue
        kind, written, spoken = line.split("\t")
        rows.append((kind, written, spoken))
    return rows


ROWS = read_cases()


@pytest.mark.parametrize("kind, written, spoken", ROWS, ids=[f"{kind}:{written[:40]}" for kind, written, _ in ROWS])
def test_case_reads_as_spoken(kind, written, spoken):
    assert normalize_for_speech(written) == spoken


def test_table_covers_every_class_with_enough_cases():
    counts: dict[str, int] = {}
    for kind, _, _ in ROWS:
        counts[kind] = counts.get(kind, 0) + 1
    expected = {"cardinal", "ordinal", "decimal", "fraction", "money", "measure", "date", "time", "range", "score",
                "telephone", "electronic", "letters", "roman", "abbreviation", "verbatim", "model", "address",
                "digit", "plain"}
    assert set(counts) == expected
    assert len(ROWS) >= 400
