"""Downloading one release archive: where it lives on the web and how it gets onto disk.

The transfer goes through :func:`pooch.retrieve` with the registry's SHA-256, so the archive lands
in a temporary file beside its final place, is hashed, and is moved into place only if the hash
matches; otherwise pooch deletes it. The HTTP part is an injectable *downloader* (pooch's
protocol: ``downloader(url, output_file, pooch)``); the default one closes its connection even
when the body is cut off, and refuses a body shorter than its Content-Length.

pooch's own log line ("Downloading data from ...") is silenced for the call; instead the default
downloader draws one tqdm line on stderr (:mod:`dprk_records.base.progress`) when the caller asks for it,
which :func:`~.fetch.fetch` does only when stderr is a terminal and the call is not quiet.

Every failure becomes :class:`DownloadError` or :class:`HashMismatchError` with the URL, the
reason, and the environment variable that changes the server. A URL that cannot work as written
(no http(s) scheme, no host, a bad port) is refused before any connection by
:func:`url_problem`, as :class:`BaseUrlError`: requests raises ValueError for those,
which must not be taken for pooch's hash mismatch (also a ``ValueError``). Only ``http`` and
``https`` are supported: the transfer is :mod:`requests`, which has no ``file://`` adapter.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dprk_records.base.hashing import HashingWriter
from dprk_records.base.progress import ProgressBar
from dprk_records.loader.errors import BaseUrlError, DownloadError, HashMismatchError

BASE_URL_ENV = "DPRK_RECORDS_BASE_URL"
DEFAULT_BASE_URL = "https://github.com/dprk-records/dprk-records/releases/download/v{version}/"
TIMEOUT_SECONDS = 60
_CHUNK = 1 << 16
SCHEMES = ("http", "https")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")

Downloader = Callable[[str, Any, Any], None]


def url_problem(url: str) -> str | None:
    """Why *url* cannot be downloaded from as written, or None when it looks usable.

    >>> url_problem("https://mirror.example:8443/dprk/v1.0.0/")
    >>> url_problem("127.0.0.1:8000/releases/")
    'has no scheme: write it as http://... or https://...'
    >>> url_problem("http://127.0.0.1:99999/")
    "has a port that is not a number from 1 to 65535 (in '127.0.0.1:99999')"
    """
    from urllib.parse import urlsplit

    if _SPACE_OR_CONTROL.search(url):
        return "contains a space or a control character"
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unclosed "[" of an IPv6 address
        return f"cannot be parsed ({exc})"
    if not parts.scheme or "://" not in url:
        return "has no scheme: write it as http://... or https://..."
    if parts.scheme.lower() not in SCHEMES:
        return f"has the scheme {parts.scheme!r}; only http:// and https:// are supported"
    if not parts.hostname:
        return "has no host name after the scheme"
    try:
        port = parts.port
    except ValueError:  # not a number, or above 65535
        port = -1
    if port is not None and not 1 <= port <= 65535:
        return f"has a port that is not a number from 1 to 65535 (in {parts.netloc!r})"
    if parts.query or parts.fragment or "?" in url or "#" in url:
        return "has a query (?...) or fragment (#...), so a file name cannot be appended to it"
    return None


def check_base_url(template: str, source: str = BASE_URL_ENV) -> None:
    """Raise BaseUrlError naming *source* and *template* unless its URLs can be downloaded from.

    ``{version}`` is replaced by a sample version first, so the check sees a real URL.
    """
    problem = url_problem(template.replace("{version}", "0.0.0"))
    if problem:
        raise BaseUrlError(
            f"{source}={template!r} {problem}. It must be the http(s) URL of the folder holding "
            "dprk-records-data-VERSION.zip ({version} in it is replaced by the version); unset it "
            "to download from the project's GitHub releases."
        )


def base_url(version: str) -> str:
    """The folder URL of a release: ``$DPRK_RECORDS_BASE_URL`` or the GitHub release page.

    ``{version}`` in it is replaced by the version; a trailing slash is added when missing so the
    archive's file name can be appended. Raises BaseUrlError when the variable is not a usable
    http(s) URL.
    """
    template = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    check_base_url(template)
    url = template.replace("{version}", version)
    return url if url.endswith("/") else url + "/"


def archive_url(version: str, file: str) -> str:
    """The URL of one release archive."""
    return base_url(version) + file


class HTTPDownloader:
    """Stream a URL into a file with :mod:`requests`, hashing as it goes.

    Unlike pooch's own downloader, the response is always closed (no socket left to the garbage
    collector when the body is cut off), and the bytes received are checked against the
    Content-Length header (urllib3 2 already does; urllib3 1.x, which requests still allows, does
    not). ``sha256`` and ``size`` describe the last body received, so an error
    message can say what was actually served. With ``progress`` set, one tqdm line on stderr
    counts the bytes (pooch's ``progressbar=`` is only for its own downloaders).
    """

    def __init__(
        self, timeout: float = TIMEOUT_SECONDS, *, progress: bool = False, label: str = "download"
    ) -> None:
        self.timeout = timeout
        self.progress = progress
        self.label = label
        self.sha256: str | None = None
        self.size = 0

    def __call__(self, url: str, output_file: Any, pooch: Any = None) -> None:
        import requests  # lazy: requests takes ~100 ms to import

        with (
            requests.Session() as session,
            session.get(url, stream=True, timeout=self.timeout) as response,
        ):
            response.raise_for_status()
            expected = response.headers.get("Content-Length")
            encoded = response.headers.get("Content-Encoding", "identity") != "identity"
            total = int(expected) if expected and expected.isdigit() and not encoded else None
            with (
                _open_output(output_file) as file,
                ProgressBar(self.label, total, enabled=self.progress, unit="B") as bar,
            ):
                out = HashingWriter(file)
                for chunk in response.iter_content(chunk_size=_CHUNK):
                    out.write(chunk)
                    bar.advance(len(chunk))
        self.sha256, self.size = out.hexdigest(), out.size
        if total is not None and total != self.size:
            raise DownloadError(
                f"the download of {url} stopped after {self.size} of {expected} bytes; "
                "the connection was probably interrupted. Try again."
            )


@contextmanager
def _open_output(target: Any) -> Iterator[Any]:
    """Open *target* for writing unless it is already a file object (pooch passes either)."""
    if hasattr(target, "write"):
        yield target
        return
    with open(target, "wb") as handle:
        yield handle


class _BelowWarning(logging.Filter):
    """Drops pooch's info records ("Downloading data from ..."); keeps its warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


@contextmanager
def _pooch_quiet() -> Iterator[None]:
    """Silence pooch's own logger (not in the logging tree: pooch.get_logger()) for one call.

    A filter instance of our own is added and removed, rather than the level being changed, so
    concurrent downloads in threads cannot leave pooch's logger switched off for its other users.
    """
    import pooch

    logger = pooch.get_logger()
    quiet = _BelowWarning()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def download_archive(
    url: str,
    destination: Path,
    sha256: str,
    downloader: Downloader | None = None,
    *,
    progress: bool = False,
) -> Path:
    """Download *url* to *destination* if its SHA-256 is *sha256*; leave no file otherwise.

    ``progress`` draws one tqdm line on stderr while the default downloader receives the file;
    pooch's log line is never printed. A URL that cannot work raises BaseUrlError before any
    connection. OSError from writing *destination* (a read-only or full disk) propagates, for the
    caller to name the folder.
    """
    import pooch  # lazy: only a download needs it
    import requests

    problem = url_problem(url)
    if problem:
        raise BaseUrlError(
            f"the download URL {url!r} {problem}; check {BASE_URL_ENV} ({base_url_hint()})"
        )
    transfer = (
        downloader
        if downloader is not None
        else HTTPDownloader(progress=progress, label=destination.name)
    )
    try:
        with _pooch_quiet():
            pooch.retrieve(
                url,
                known_hash=f"sha256:{sha256}",
                fname=destination.name,
                path=destination.parent,
                downloader=transfer,
                progressbar=False,
            )
    except requests.exceptions.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "an error"
        raise DownloadError(
            f"could not download {url}: the server answered HTTP {status}. "
            f"Check that the release exists there; the base URL is {base_url_hint()} "
            f"(set {BASE_URL_ENV} to use a mirror)."
        ) from exc
    except requests.exceptions.RequestException as exc:  # before ValueError: some are both
        raise DownloadError(
            f"could not download {url}: {_reason(exc)}. Check your network connection; the base "
            f"URL is {base_url_hint()} (set {BASE_URL_ENV} to use a mirror). Once downloaded, a "
            "version is cached and loads offline."
        ) from exc
    except ValueError as exc:
        if not _is_hash_mismatch(exc):  # e.g. urllib3's LocationParseError for a bad host
            raise DownloadError(
                f"could not download {url}: the URL was refused ({exc}). Check {BASE_URL_ENV} "
                f"({base_url_hint()})."
            ) from exc
        got = getattr(transfer, "sha256", None) or "a different hash"
        raise HashMismatchError(
            f"the archive downloaded from {url} does not match the registry: expected sha256 "
            f"{sha256} but got {got}. The download was deleted. The server is serving another "
            f"file under this name; check {BASE_URL_ENV} ({base_url_hint()})."
        ) from exc
    return destination


def _is_hash_mismatch(exc: ValueError) -> bool:
    """Whether *exc* is pooch's "hash of downloaded file ... does not match" (its only sign)."""
    text = str(exc)
    return "hash of downloaded file" in text and "does not match" in text


def base_url_hint() -> str:
    """The base URL template in force, as the user would write it."""
    return os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL


def _reason(exc: BaseException) -> str:
    """A one-line reason without requests' nested reprs of connection pools."""
    import requests

    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc)
        if "Connection refused" in text or "Errno 111" in text:
            return "the server refused the connection (is it running?)"
        if "Name or service not known" in text or "getaddrinfo" in text:
            return "the server's host name could not be resolved (are you offline?)"
        return f"the connection failed ({type(exc).__name__})"
    if isinstance(exc, requests.exceptions.Timeout):
        return f"no answer within {TIMEOUT_SECONDS} seconds"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the connection was closed before the whole file arrived"
    return f"{type(exc).__name__}: {exc}"
