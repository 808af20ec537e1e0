"""The seed document, parsed independently of the graph, so tests can check the data against it.

The seed lives beside the repository (``../shared/seed``). A small parser reads the action-plan
table at its end (rows, conclusion points, P&B outputs, years, costs) and its numbered paragraphs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seed"
SEED_FILE = SEED_DIR / "000_4af0683710e935f3.txt"
FACTS_FILE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "facts.md"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Row:
    """One activity row of the action-plan table."""

    code: str  # output code, "-", letter in table order within the output (docs/modelling.md)
    objective: str
    output: str
    text: str
    points: tuple[str, ...]
    pb_outputs: tuple[str, ...]
    start: int
    end: int


@dataclass
class Seed:
    rows: list[Row] = field(default_factory=list)
    costs: dict[str, int] = field(default_factory=dict)  # objective → USD
    paragraphs: dict[int, str] = field(default_factory=dict)  # number → text (items included)
    items: dict[tuple[int, str], str] = field(default_factory=dict)  # (7, "b") → item text
    output_of_paragraph: dict[int, str | None] = field(default_factory=dict)  # strategy section

    @property
    def by_code(self) -> dict[str, Row]:
        return {r.code: r for r in self.rows}

    @property
    def total_cost(self) -> int:
        m = re.search(r"总开支约为\s*([\d,]+)\s*万美元", self.paragraphs[28])
        assert m, "paragraph 28 states the plan's total"
        return int(m[1].replace(",", "")) * 10_000

    def activities_of_point(self, point: str) -> set[str]:
        return {r.code for r in self.rows if point in r.points}

    def recommendations_cited(self) -> dict[str, set[int]]:
        """R-number → paragraphs naming it (「第 193 号」, 「第189号」)."""
        out: dict[str, set[int]] = defaultdict(set)
        for number, text in self.paragraphs.items():
            for n in re.findall(r"第\s*(\d{3})\s*号", text):
                out[f"R{n}"].add(number)
        return dict(out)


def parse_seed(text: str) -> Seed:
    seed = Seed()
    objective = output = None
    letter = 0
    in_table = False
    current: int | None = None
    section: str | None = None
    for line in text.splitlines():
        s = line.strip()
        if re.match(r"^##\s*►\s*行动计划", s):
            in_table, current = True, None
            continue
        if in_table and re.match(r"^##\s", s) and "行动计划" not in s:
            in_table = False  # the next level-2 heading (决定草案) ends the table
        if in_table:
            cells = line.split("\t")
            first = cells[0].strip()
            if m := re.match(r"<b>目标\s*(\d+)\s*[:：]", first):
                objective = m[1]
            elif m := re.match(r"<b>估计所需资源\s*[:：]\s*([\d,]+)\s*万美元", first):
                seed.costs[objective] = int(m[1].replace(",", "")) * 10_000
            elif m := re.match(r"<b>产出\s*(\d+\.\d+)\s*[:：]", first):
                output, letter = m[1], 0
            elif len(cells) >= 4 and first and first != "高级别产出":
                years = [int(y) for y in re.findall(r"\d{4}", cells[3])]
                seed.rows.append(
                    Row(
                        code=f"{output}-{LETTERS[letter]}",
                        objective=objective,
                        output=output,
                        text=first,
                        points=tuple(p for p in re.split(r"[、\s]+", cells[1]) if p),
                        pb_outputs=tuple(p for p in re.split(r"[、\s]+", cells[2]) if p),
                        start=years[0],
                        end=years[-1],
                    )
                )
                letter += 1
            continue
        numbered = re.match(r"^(?:#+\s*)?(?:-\s*)?(\d{1,2})\.\s", s)
        if s.startswith("#"):
            current = None
            m = re.search(r"产出\s*(\d+\.\d+)", s)
            section = m[1] if m else None
        if numbered and int(numbered[1]) == len(seed.paragraphs) + 1:
            current = int(numbered[1])
            seed.paragraphs[current] = s
            seed.output_of_paragraph[current] = section
        elif s and current is not None and not s.startswith("#"):
            seed.paragraphs[current] += "\n" + s  # items, and text split by a page break
            if m := re.match(r"^-\s*\(([a-z])\)", s):
                seed.items[(current, m[1])] = s
    return seed


def load_seed() -> Seed:
    """The parsed seed; a missing seed is an error (the data cannot be checked without it)."""
    if not SEED_FILE.is_file():
        raise FileNotFoundError(f"the seed document is not at {SEED_FILE}")
    return parse_seed(SEED_FILE.read_text("utf-8"))
