"""The evidence viewer in a real browser: Debian's chromium, headless, driven by selenium.

A release is cut from a fresh build of the seeds in a temporary checkout and unzipped; its
``viewer/index.html`` is opened from ``file://`` as a double click would. The tests check that
every span is highlighted exactly where the package says, that a click shows the span's rows,
that person pages, their timelines and links work (a personnel change too, on the viewer of
tests/careers.py's package), and that nothing is loaded from anywhere. A screenshot is written
to ``$DPRK_RECORDS_SCREENSHOTS`` (default: the test's temporary folder).

Chromium and chromedriver come from Debian (``.ci/run`` installs ``chromium`` and
``chromium-driver`` when missing); ``DPRK_RECORDS_CHROMIUM`` / ``DPRK_RECORDS_CHROMEDRIVER``
point elsewhere. Without them the tests skip on a developer's machine and fail when CI=true.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dprk_records.loader.package import Package
from dprk_records.loader.timeline import describe
from dprk_records.publish.cut import cut_release
from dprk_records.render.loaded import load_package
from dprk_records.render.viewer.site import render_site, write_site
from dprk_records.render.viewer.spans import TABLE_KINDS

from .checkouts import make_checkout
from .conftest import REPORT_ID, SPEECH_ID

HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)
RI_IL_HWAN = "s3549-3559"  # person_names: Ri Il Hwan, spelled "Ri II Hwan" in the report

# every mark's data-span -> the characters its element(s) hold, concatenated in document order
COVERED_JS = """
const covered = {};
for (const mark of document.querySelectorAll('#text mark[data-span]')) {
  const span = mark.getAttribute('data-span');
  covered[span] = (covered[span] || '') + mark.textContent;
}
return [document.getElementById('text').textContent, covered];
"""


def browser_programs() -> tuple[str | None, str | None]:
    """Paths of chromium and chromedriver (environment overrides, then PATH), or None."""
    browsers = ("chromium", "chromium-browser", "google-chrome")
    browser = os.environ.get("DPRK_RECORDS_CHROMIUM")
    browser = (
        shutil.which(browser) if browser else next(filter(None, map(shutil.which, browsers)), None)
    )
    driver = shutil.which(os.environ.get("DPRK_RECORDS_CHROMEDRIVER") or "chromedriver")
    return browser, driver


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where the browser must be installed."""
    message = f"{reason}; install Debian's chromium and chromium-driver (see .ci/run)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and the browser test cannot run: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def release_folder(built_package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release cut by the release code from a fresh build, unzipped as a user would."""
    root = tmp_path_factory.mktemp("release")
    checkout = make_checkout(root / "repo", built_package)
    result = cut_release(
        checkout / "datapackage", checkout, checkout / "dist", allow_dirty=True, environ={}
    )
    with zipfile.ZipFile(result.archive) as archive:
        archive.extractall(root / "unzipped")
    return root / "unzipped" / f"dprk-records-data-{result.version}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium, chromedriver = browser_programs()
    if not chromium or not chromedriver:
        unavailable(f"no chromium ({chromium}) or chromedriver ({chromedriver}) found")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        unavailable("selenium is not installed (it is in the test dependency group)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for flag in HEADLESS_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with tempfile.TemporaryDirectory(prefix="dprk-records-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(str(chromedriver)), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def screenshot_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("DPRK_RECORDS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def no_resources_loaded(driver: Any) -> bool:
    return driver.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_the_release_opens_with_both_documents(browser: Any, release_folder: Path) -> None:
    from selenium.webdriver.common.by import By

    assert (release_folder / "viewer" / "index.html").is_file()
    browser.get((release_folder / "viewer" / "index.html").as_uri())
    titles = {row["document_id"]: row["title"] for row in Package(release_folder).read("documents")}
    links = browser.find_elements(By.CSS_SELECTOR, "#documents a")
    assert {link.text for link in links} == set(titles.values())
    assert {link.get_attribute("href").rsplit("/", 1)[1] for link in links} == {
        f"{REPORT_ID}.html",
        f"{SPEECH_ID}.html",
    }
    assert no_resources_loaded(browser)
    files = browser.find_elements(By.CSS_SELECTOR, "header a")
    assert {"datapackage.json", "popolo.json", "data-dictionary.md"} <= {a.text for a in files}


@pytest.mark.parametrize("document_id", [REPORT_ID, SPEECH_ID])
def test_every_span_is_highlighted_where_the_data_says(
    browser: Any, release_folder: Path, document_id: str
) -> None:
    package = Package(release_folder)
    text = (release_folder / "sources" / f"{document_id}.txt").read_bytes().decode("utf-8")
    browser.get((release_folder / "viewer" / "documents" / f"{document_id}.html").as_uri())
    whole, covered = browser.execute_script(COVERED_JS)
    assert whole == text  # the page shows the verbatim text, character for character
    expected = {
        f"s{row['start']}-{row['end']}": text[row["start"] : row["end"]]
        for table in TABLE_KINDS
        for row in package.read(table)
        if row["document_id"] == document_id
    }
    assert expected and covered == expected
    assert no_resources_loaded(browser)


def test_a_click_shows_the_rows_of_ri_il_hwans_mention(
    browser: Any, release_folder: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    browser.get((release_folder / "viewer" / "documents" / f"{REPORT_ID}.html").as_uri())
    mark = browser.find_element(By.ID, RI_IL_HWAN)
    assert mark.get_attribute("textContent") == "Ri II Hwan"
    assert (mark.get_attribute("data-start"), mark.get_attribute("data-end")) == ("3549", "3559")
    assert mark.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "")
    assert "person_names: Ri Il Hwan" in mark.get_attribute("title")  # the hover summary
    detail = browser.find_element(By.ID, f"d-{RI_IL_HWAN}")
    assert not detail.is_displayed()
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    width = mark.rect["width"]
    ActionChains(browser).move_to_element_with_offset(
        mark, -int(width / 2) + 4, 0
    ).click().perform()
    assert "selected" in mark.get_attribute("class").split()
    assert detail.is_displayed()
    shown = detail.text
    for words in ("person_names", "participations", "ri-il-hwan", "3549", "3559", "platform"):
        assert words in shown
    shot = screenshot_dir(tmp_path) / "viewer-report-ri-il-hwan.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

    box = browser.find_element(By.CSS_SELECTOR, '.legend input[data-kind="person"]')
    box.click()  # hide the person highlights
    assert mark.value_of_css_property("background-color") == "rgba(0, 0, 0, 0)"
    box.click()


def test_person_page_and_back_to_the_sentence(
    browser: Any, release_folder: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.get((release_folder / "viewer" / "documents" / f"{REPORT_ID}.html").as_uri())
    browser.find_element(By.ID, RI_IL_HWAN).click()
    detail = browser.find_element(By.ID, f"d-{RI_IL_HWAN}")
    detail.find_element(By.CSS_SELECTOR, 'a[href$="persons/ri-il-hwan.html"]').click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ri Il Hwan"
    titles = browser.find_element(By.ID, "titles").text
    assert "secretary of the Party Central Committee" in titles
    events = browser.find_element(By.ID, "events").text
    assert "6th Conference of Cell Secretaries of the WPK" in events and "3 of 7" in events
    quoted = browser.find_element(By.CSS_SELECTOR, "#mentions blockquote mark").text
    assert quoted == "Ri II Hwan"
    browser.save_screenshot(str(screenshot_dir(tmp_path) / "viewer-person-ri-il-hwan.png"))
    browser.find_element(By.CSS_SELECTOR, "#mentions a").click()  # "in context"
    mark = browser.find_element(By.ID, RI_IL_HWAN)
    assert browser.current_url.endswith(f"{REPORT_ID}.html#{RI_IL_HWAN}")
    assert "selected" in mark.get_attribute("class").split()
    assert browser.find_element(By.ID, f"d-{RI_IL_HWAN}").is_displayed()
    assert no_resources_loaded(browser)


def test_no_script_errors_even_with_a_bad_fragment(browser: Any, release_folder: Path) -> None:
    viewer = release_folder / "viewer"
    browser.get_log("browser")  # drop what earlier tests logged
    for page in (
        viewer / "index.html",
        viewer / "documents" / f"{REPORT_ID}.html",
        viewer / "persons" / "kim-jong-un.html",
        viewer / "tables" / "participations.html",
    ):
        browser.get(page.as_uri())
    browser.get((viewer / "documents" / f"{SPEECH_ID}.html").as_uri() + '#s1"]-x')
    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []


def test_the_timeline_on_a_person_page_links_to_its_spans(
    browser: Any, release_folder: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.get((release_folder / "viewer" / "persons" / "kim-jong-un.html").as_uri())
    timeline = browser.find_element(By.ID, "timeline")
    lines = timeline.find_elements(By.CSS_SELECTOR, "tbody tr")
    entries = Package(release_folder).timeline("kim-jong-un")
    assert [line.find_elements(By.TAG_NAME, "td")[1].text for line in lines] == [
        describe(entry) for entry in entries
    ]
    browser.save_screenshot(str(screenshot_dir(tmp_path) / "viewer-timeline-kim-jong-un.png"))
    title = next(e for e in entries if e.kind == "title")
    anchor = f"s{title.start}-{title.end}"
    timeline.find_element(By.LINK_TEXT, describe(title)).click()
    assert browser.current_url.endswith(f"{title.document_id}.html#{anchor}")
    mark = browser.find_element(By.ID, anchor)
    assert mark.get_attribute("textContent") == "General Secretary of the WPK"
    assert "selected" in mark.get_attribute("class").split()
    assert browser.find_element(By.ID, f"d-{anchor}").is_displayed()
    assert no_resources_loaded(browser)


def test_a_personnel_change_in_the_timeline_opens_its_sentence(
    browser: Any, career_package: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    viewer = write_site(render_site(load_package(career_package)), tmp_path / "viewer")
    browser.get((viewer / "persons" / "ryo-chang-sik.html").as_uri())
    elected = next(e for e in Package(career_package).timeline("ryo-chang-sik") if e.change)
    browser.find_element(By.ID, "timeline").find_element(
        By.PARTIAL_LINK_TEXT, "elected: member of the Political Bureau"
    ).click()
    anchor = f"s{elected.start}-{elected.end}"
    assert browser.current_url.endswith(f"{elected.document_id}.html#{anchor}")
    mark = browser.find_element(By.ID, anchor)
    assert mark.get_attribute("textContent") == (
        "Ryo Chang Sik was elected a member of the Political Bureau of the WPK Central Committee"
    )
    assert {"k-change", "selected"} <= set(mark.get_attribute("class").split())
    assert mark.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "")
    detail = browser.find_element(By.ID, f"d-{anchor}")
    assert detail.is_displayed() and "personnel_changes" in detail.text and "elected" in detail.text
    assert no_resources_loaded(browser)
