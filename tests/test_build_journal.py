"""The build journal: a build with the cache into the same package folder takes each unchanged
document from the journal the previous build wrote, and the package is the same bytes as a
clean build's whatever changed, on any workers; a journal that does not describe the package
is not used, and one found wrong half-way makes the build start again without it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dprk_records.add.reproduce import folder_files
from dprk_records.pipeline import build as build_module
from dprk_records.pipeline import journal as journal_module
from dprk_records.pipeline.build import BuildResult, build
from dprk_records.pipeline.cache import AnalysisCache, build_salt, code_fingerprint
from dprk_records.pipeline.journal import (
    FACTS_NAME,
    PASS_TWO_NAME,
    RESOLVER_NAME,
    STATE_NAME,
    TEXTS_NAME,
)
from dprk_records.pipeline.resolve import Resolver
from dprk_records.schemas import package_meta

from .conftest import REPO

CORPUS = REPO / "tests" / "corpus" / "texts"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the twelve texts of tests/corpus/texts (no manifest)."""
    return Path(shutil.copytree(CORPUS, tmp_path / "texts"))


class Builds:
    """Builds of one corpus into one package folder with one cache, each checked against a
    clean build (no cache) of the same texts."""

    def __init__(self, tmp_path: Path, corpus: Path) -> None:
        self.corpus = corpus
        self.out = tmp_path / "package"
        self.cache = tmp_path / "cache"
        self.clean = tmp_path / "clean"
        self._cleans = 0

    def journal(self) -> Path:
        folders = sorted((self.cache / "journal").iterdir())
        assert len(folders) == 1
        return folders[0]

    def run(self, workers: int = 1) -> BuildResult:
        result = build(self.corpus, self.out, environ={}, workers=workers, cache=self.cache)
        self._cleans += 1
        clean = self.clean / str(self._cleans)
        build(self.corpus, clean, environ={}, workers=1, cache=False)
        assert folder_files(self.out) == folder_files(clean)
        return result

    def added(self, text: Path) -> BuildResult:
        """Build without ``text``, then with it back: the second build's result."""
        data = text.read_bytes()
        text.unlink()
        self.run()
        text.write_bytes(data)
        return self.run()


@pytest.fixture
def builds(tmp_path: Path, corpus: Path) -> Builds:
    return Builds(tmp_path, corpus)


def _texts(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.txt"))


def test_an_unchanged_corpus_is_taken_whole_from_the_journal(builds: Builds) -> None:
    first = builds.run()
    assert (first.analysed, first.journaled) == (12, 0)
    again = builds.run(workers=2)
    assert (again.analysed, again.resolved, again.journaled) == (0, 0, 12)
    state = builds.journal()
    names = {STATE_NAME, TEXTS_NAME, FACTS_NAME, RESOLVER_NAME, PASS_TWO_NAME}
    assert {p.name for p in state.iterdir()} == names


@pytest.mark.parametrize("where", [0, 5, -1])
def test_a_text_added_anywhere_in_the_order_is_the_only_one_analysed(
    builds: Builds, where: int
) -> None:
    grown = builds.added(_texts(builds.corpus)[where])
    assert (grown.documents, grown.analysed, grown.journaled) == (12, 1, 11)


@pytest.fixture
def observed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The documents resolve's pass one observes (in this process: use ``workers=1``)."""
    seen: list[str] = []
    original = Resolver.observe

    def counting(self: Resolver, document: Any, published: Any) -> Any:
        seen.append(document.document_id)
        return original(self, document, published)

    monkeypatch.setattr(Resolver, "observe", counting)
    return seen


@pytest.mark.parametrize(("where", "resumed"), [(-1, True), (0, False), (5, False)])
def test_pass_one_goes_on_from_the_journal_only_for_texts_added_after_all_of_it(
    builds: Builds, observed: list[str], where: int, resumed: bool
) -> None:
    """Pass one of the package replaced, kept in the journal, is taken up again when every
    text it saw is there unchanged and the new ones come after them in document-id order: only
    the new ones are observed. Otherwise every text is, and the package is the same."""
    text = _texts(builds.corpus)[where]
    data = text.read_bytes()
    text.unlink()
    builds.run()
    text.write_bytes(data)
    observed.clear()
    grown = builds.run()
    assert grown.journaled == 11
    ours = observed[: len(observed) - 12]  # (the last 12: the clean build it is compared with)
    assert ours == ([text.stem] if resumed else sorted(p.stem for p in _texts(builds.corpus)))
    observed.clear()
    builds.run()
    # nothing new: all of it from the journal; a build that went on from the journal's state
    # kept that state, so the next one observes again the text it added on top of it
    assert observed[: len(observed) - 12] == ([text.stem] if resumed else [])


@pytest.mark.parametrize(("behind", "observed_again"), [(1, 2), (0, 1)])
def test_the_state_of_pass_one_is_kept_while_few_texts_are_observed_on_top_of_it(
    builds: Builds,
    observed: list[str],
    monkeypatch: pytest.MonkeyPatch,
    behind: int,
    observed_again: int,
) -> None:
    """A build that went on from the journal's state of pass one keeps it (no new state
    written) while it observed no more than ``REBASE_DOCUMENTS`` texts on top of it, and the
    next build observes those again; past that it writes its own state."""
    monkeypatch.setattr(journal_module, "REBASE_DOCUMENTS", behind)
    last_two = _texts(builds.corpus)[-2:]
    kept = [text.read_bytes() for text in last_two]
    for text in last_two:
        text.unlink()
    builds.run()
    state = builds.journal() / RESOLVER_NAME
    before = state.stat().st_mtime_ns
    last_two[0].write_bytes(kept[0])  # one text on top of the state
    builds.run()
    assert (state.stat().st_mtime_ns == before) == (behind == 1)
    last_two[1].write_bytes(kept[1])  # and one more: the text before it observed again or not
    observed.clear()
    builds.run()
    assert observed[: len(observed) - 12] == [t.stem for t in last_two][-observed_again:]


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The documents whose kept rows pass two checked one by one (``Resolver.still_reads``)."""
    seen: list[str] = []
    original = Resolver.still_reads

    def counting(self: Resolver, log: Any, document: Any) -> bool:
        seen.append(str(document.published))
        return original(self, log, document)

    monkeypatch.setattr(Resolver, "still_reads", counting)
    return seen


def test_rows_of_a_corpus_grown_at_its_end_are_kept_whole(
    builds: Builds, checked: list[str]
) -> None:
    """When pass one goes on from the journal and the ids answer every read the journal's rows
    were made from as before, those rows are kept with no check of each document's reads, and
    only the new text's rows are made; the package is a clean build's (run compares)."""
    grown = builds.added(_texts(builds.corpus)[-1])
    assert (grown.analysed, grown.resolved, grown.journaled) == (1, 1, 11)
    assert checked == []
    again = builds.run(workers=2)
    assert (again.analysed, again.resolved, again.journaled) == (0, 0, 12)
    assert checked == []


def test_rows_whose_reads_a_text_added_at_the_end_changes_are_checked_one_by_one(
    builds: Builds, checked: list[str]
) -> None:
    # the plenary meeting's opening report, renamed to come last: adding it after the others
    # changes what the meeting's other report reads of the ids, so the rows are not kept whole
    # but checked document by document, and that report's made again
    last = builds.corpus / "kcna_99_plenary_meeting_opens.txt"
    (builds.corpus / "kcna_01_plenary_meeting_opens.txt").rename(last)
    grown = builds.added(last)
    assert (grown.analysed, grown.resolved, grown.journaled) == (1, 2, 11)
    assert len(checked) == 11
    checked.clear()
    assert builds.run().resolved == 0
    assert checked == []  # (kept whole again: the journal's reads are the new ones)


def test_a_text_changed_and_one_taken_out(builds: Builds) -> None:
    builds.run()
    texts = _texts(builds.corpus)
    texts[3].write_text(texts[3].read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    texts[8].unlink()
    after = builds.run(workers=2)
    assert (after.documents, after.analysed, after.journaled) == (11, 1, 10)
    texts[8].write_bytes((CORPUS / texts[8].name).read_bytes())  # back, from the analysis cache
    back = builds.run()
    assert (back.documents, back.analysed, back.journaled) == (12, 0, 11)


def test_rows_whose_reads_changed_are_made_again_from_the_cache_or_the_text(
    builds: Builds,
) -> None:
    # the plenary meeting's other report names the meeting otherwise without its opening
    # report: adding that back changes what the other report reads of the ids, so its rows
    # are made again, from its facts -- from the analysis cache, or, once that is gone, by
    # analysing its text again
    held_back = builds.corpus / "kcna_01_plenary_meeting_opens.txt"
    text = held_back.read_bytes()
    grown = builds.added(held_back)
    assert (grown.analysed, grown.resolved, grown.journaled) == (1, 2, 11)
    held_back.unlink()
    builds.run()
    held_back.write_bytes(text)
    for entry in builds.cache.glob("*/*.pickle"):  # every analysis and row entry gone
        entry.unlink()
    for entry in (builds.cache / "rows").glob("*/*.pickle"):
        entry.unlink()
    again = builds.run()
    assert (again.resolved, again.journaled) == (2, 11)
    assert again.analysed == 1  # (the report analysed again for its facts is not counted)


def test_a_text_gone_from_the_old_package_is_written_from_its_seed(builds: Builds) -> None:
    """A document taken from the journal is put in the package from what its record says of
    it (no seed entry is read): a text the old package lost is written from the seed again."""
    builds.run()
    (builds.out / "sources" / _texts(builds.corpus)[4].name).unlink()
    again = builds.run()  # (the same bytes as a clean build: run compares)
    assert again.journaled == 12


def test_a_package_changed_since_its_journal_is_built_without_it(builds: Builds) -> None:
    builds.run()
    with (builds.out / "data" / "paragraphs.csv").open("ab") as table:
        table.write(b"")  # (opened for writing: its modification time moves)
    os.utime(builds.out / "data" / "paragraphs.csv")
    after = builds.run()
    assert after.journaled == 0
    assert builds.run().journaled == 12  # the journal of the package now there


def test_a_journal_of_other_code_is_not_used(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds.run()
    salt = build_salt(code_fingerprint() + "-edited", package_meta().schema_version)
    monkeypatch.setattr(AnalysisCache, "__init__", _salted_init(salt))
    assert builds.run().journaled == 0


def _salted_init(salt: str) -> Callable[..., None]:
    original = AnalysisCache.__init__

    def init(self: AnalysisCache, root: Path, _salt: str, *args: object) -> None:
        original(self, root, salt, *args)  # type: ignore[arg-type]

    return init


@pytest.mark.parametrize("damage", ["texts", "facts", "resolver", "pass two", "old table"])
def test_a_journal_found_wrong_half_way_is_dropped_and_the_build_starts_again(
    builds: Builds, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Damage the journal or the old package without changing their stat signatures (the
    bytes edited in place, the modification time set back): the build finds it out as it
    reads, starts again without the journal, and writes the package a clean build writes."""
    builds.run()
    journal = builds.journal()
    names = {
        "texts": TEXTS_NAME,
        "facts": FACTS_NAME,
        "resolver": RESOLVER_NAME,
        "pass two": PASS_TWO_NAME,
    }
    if damage == "old table":
        path = builds.out / "data" / "positions.csv"
    else:
        path = journal / names[damage]
    info = os.stat(path)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = b"\x00" * 64
    with path.open("r+b") as handle:  # (in place: the same inode)
        handle.write(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    attempts: list[bool] = []
    journal_use = build_module._journal_use

    def counted(cache: AnalysisCache | None, out_dir: Path, read: bool) -> object:
        if cache is not None:  # (not the clean build it is compared with)
            attempts.append(read)
        return journal_use(cache, out_dir, read)

    monkeypatch.setattr(build_module, "_journal_use", counted)
    after = builds.run()
    assert attempts == [True, False]  # found out while reading, then without the journal
    assert (after.journaled, after.analysed, after.resolved) == (0, 0, 0)  # (from the cache)
    assert builds.run().journaled == 12


def test_a_build_without_the_cache_leaves_no_usable_journal(builds: Builds) -> None:
    builds.run()
    build(builds.corpus, builds.out, environ={}, workers=1, cache=False)
    assert builds.run().journaled == 0


def test_a_failed_build_keeps_the_journal_of_the_package_still_there(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds.run()
    before = folder_files(builds.journal())

    def failing(self: object, *args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal_module.JournalWriter, "package_written", failing)
    with pytest.raises(Exception, match="No space left"):
        build(builds.corpus, builds.out, environ={}, workers=1, cache=builds.cache)
    monkeypatch.undo()
    assert folder_files(builds.journal()) == before
    assert builds.run().journaled == 12


def test_a_build_told_to_keep_no_journal_writes_none(builds: Builds) -> None:
    build(builds.corpus, builds.out, environ={}, workers=1, cache=builds.cache, journal=False)
    assert not (builds.cache / "journal").exists()
    assert builds.run().journaled == 0


@pytest.mark.parametrize("failing", ["records", "state"])
def test_a_journal_that_cannot_be_written_costs_a_warning_never_the_build(
    builds: Builds,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failing: str,
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if failing == "records":
        monkeypatch.setattr(journal_module._RecordWriter, "write", full)
    else:
        monkeypatch.setattr(journal_module, "write_file", full)
    assert builds.run().journaled == 0  # (the package is a clean build's: checked by run)
    warnings = [line for line in capsys.readouterr().err.splitlines() if "journal" in line]
    assert len(warnings) == 1 and "No space left on device" in warnings[0]
    assert sorted(p.name for p in builds.journal().iterdir()) == []  # nothing half-written
    monkeypatch.undo()
    assert builds.run().journaled == 0
    assert builds.run().journaled == 12
