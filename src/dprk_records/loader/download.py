"""Downloading one release archive: where it lives on the web and how it gets onto disk.

The transfer goes through :func:`pooch.retrieve` with the registry's SHA-256, so the archive lands
in a temporary file beside its final place, is hashed, and is moved into place only if the hash
matches; otherwise pooch deletes it. The HTTP part is an injectable *downloader* (pooch's
protocol: ``downloader(url, output_file, pooch)``); the default one closes its connection even
when the body is cut off, and refuses a body shorter than its Content-Length.

Every failure becomes :class:`DownloadError` or :class:`HashMismatchError` with the URL, the
reason, and the environment variable that changes the server.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dprk_records.loader.errors import DownloadError, HashMismatchError

BASE_URL_ENV = "DPRK_RECORDS_BASE_URL"
DEFAULT_BASE_URL = "https://github.com/dprk-records/dprk-records/releases/download/v{version}/"
TIMEOUT_SECONDS = 60
_CHUNK = 1 << 16

Downloader = Callable[[str, Any, Any], None]


def base_url(version: str) -> str:
    """The folder URL of a release: ``$DPRK_RECORDS_BASE_URL`` or the GitHub release page.

    ``{version}`` in it is replaced by the version; a trailing slash is added when missing so the
    archive's file name can be appended.
    """
    template = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
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
    message can say what was actually served.
    """

    def __init__(self, timeout: float = TIMEOUT_SECONDS) -> None:
        self.timeout = timeout
        self.sha256: str | None = None
        self.size = 0

    def __call__(self, url: str, output_file: Any, pooch: Any = None) -> None:
        import requests  # lazy: requests takes ~100 ms to import

        digest = hashlib.sha256()
        size = 0
        with (
            requests.Session() as session,
            session.get(url, stream=True, timeout=self.timeout) as response,
        ):
            response.raise_for_status()
            expected = response.headers.get("Content-Length")
            encoded = response.headers.get("Content-Encoding", "identity") != "identity"
            with _open_output(output_file) as out:
                for chunk in response.iter_content(chunk_size=_CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
        self.sha256, self.size = digest.hexdigest(), size
        if expected is not None and not encoded and expected.isdigit() and int(expected) != size:
            raise DownloadError(
                f"the download of {url} stopped after {size} of {expected} bytes; "
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


def download_archive(
    url: str,
    destination: Path,
    sha256: str,
    downloader: Downloader | None = None,
) -> Path:
    """Download *url* to *destination* if its SHA-256 is *sha256*; leave no file otherwise."""
    import pooch  # lazy: only a download needs it
    import requests

    transfer = downloader if downloader is not None else HTTPDownloader()
    try:
        pooch.retrieve(
            url,
            known_hash=f"sha256:{sha256}",
            fname=destination.name,
            path=destination.parent,
            downloader=transfer,
            progressbar=False,
        )
    except ValueError as exc:  # pooch's hash mismatch
        got = getattr(transfer, "sha256", None) or "a different hash"
        raise HashMismatchError(
            f"the archive downloaded from {url} does not match the registry: expected sha256 "
            f"{sha256} but got {got}. The download was deleted. The server is serving another "
            f"file under this name; check {BASE_URL_ENV} ({base_url_hint()})."
        ) from exc
    except requests.exceptions.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "an error"
        raise DownloadError(
            f"could not download {url}: the server answered HTTP {status}. "
            f"Check that the release exists there; the base URL is {base_url_hint()} "
            f"(set {BASE_URL_ENV} to use a mirror)."
        ) from exc
    except (requests.exceptions.RequestException, OSError) as exc:
        raise DownloadError(
            f"could not download {url}: {_reason(exc)}. Check your network connection; the base "
            f"URL is {base_url_hint()} (set {BASE_URL_ENV} to use a mirror). Once downloaded, a "
            "version is cached and loads offline."
        ) from exc
    return destination


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
