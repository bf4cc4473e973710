"""The floor of a regex extractor: one pass of Python's ``re`` over every text of a seeds folder.

    python -m dprk_records_tools.bench.regex_floor SEEDS

Why: "is the build fast?" needs a yardstick on the same bytes and the same interpreter. A rule
extractor can hardly beat reading every text and running one compiled pattern over it once, so
build time / this time says how many such passes the whole pipeline costs. The pattern is the
one a name finder needs first (runs of capitalized words); every match is consumed. Prints the
number of texts, characters and matches as JSON. Standard library only, so the benchmark runs it
as a child process like every other timed command.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PATTERN = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+")


def scan(seeds: Path) -> dict[str, int]:
    """Read each ``*.txt`` of ``seeds`` and consume every match of ``PATTERN``."""
    texts = characters = matches = 0
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts += 1
        characters += len(text)
        for _ in PATTERN.finditer(text):
            matches += 1
    return {"texts": texts, "characters": characters, "matches": matches}


def main(argv: list[str] | None = None) -> int:
    (seeds,) = argv if argv is not None else sys.argv[1:]
    print(json.dumps(scan(Path(seeds))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
