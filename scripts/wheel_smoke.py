"""Install a built wheel into a fresh venv and load a release from a local HTTP server.

Usage::

    python scripts/wheel_smoke.py dist/dprk_records-0.1.0-py3-none-any.whl RELEASE [--table NAME]

RELEASE is a release archive (``dprk-records-data-VERSION.zip``) or a data package folder (such as
``datapackage/``), which is zipped here the way a release is. This checks what a user gets from
``pip install dprk-records``: the wheel installs with its declared dependencies, ships its
registry, imports lightly, downloads and verifies the release, and loads it again offline.
Exits non-zero on any failure. Uses the standard library only.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import venv
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHECK = r"""
import importlib.resources, json, sys
from pathlib import Path
import dprk_records
heavy = {m.split(".")[0] for m in sys.modules} & {"pooch", "pandas", "frictionless", "jsonschema"}
assert not heavy, f"import dprk_records imported {sorted(heavy)}"
installed = Path(dprk_records.__file__).resolve()
assert installed.is_relative_to(Path(sys.argv[3]).resolve()), f"imported {installed}, not the venv's"
packaged = importlib.resources.files("dprk_records.loader") / "registry.json"
assert json.loads(packaged.read_text())["format"] == 1, "the wheel lacks loader/registry.json"
version, table = sys.argv[1], sys.argv[2]
assert version in dprk_records.versions(), dprk_records.versions()
name = table or ("persons" if "persons" in dprk_records.open(version=version).tables
                 else dprk_records.open(version=version).tables[0])
print(name, dprk_records.load(name, version=version)[:2])
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def release_from_folder(folder: Path, out_dir: Path) -> Path:
    """Zip a data package folder as ``dprk-records-data-VERSION.zip`` with its top folder."""
    if not (folder / "datapackage.json").is_file():
        raise SystemExit(f"{folder}: no datapackage.json (build it first, or pass a release zip)")
    version = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["version"]
    top = f"dprk-records-data-{version}"
    archive = out_dir / f"{top}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            zf.write(file, f"{top}/{file.relative_to(folder).as_posix()}")
    return archive


def version_of(archive: Path) -> str:
    match = re.fullmatch(r"dprk-records-data-(.+)\.zip", archive.name)
    if not match:
        raise SystemExit(f"{archive.name}: expected a name like dprk-records-data-1.2.0.zip")
    return match.group(1)


def venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(cmd: list[str], **kwargs: object) -> None:
    shown = [("<check>" if arg == CHECK else arg) for arg in cmd]
    print("+", " ".join(shown), flush=True)
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path)
    parser.add_argument("release", type=Path, help="release zip or data package folder")
    parser.add_argument("--table", default="", help="table to load (default: persons or first)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="dprk-wheel-smoke-") as tmp:
        work = Path(tmp)
        release = args.release.resolve()
        archive = release_from_folder(release, work) if release.is_dir() else release
        version = version_of(archive)
        data = archive.read_bytes()

        site = work / "site" / f"v{version}"
        site.mkdir(parents=True)
        (site / archive.name).write_bytes(data)
        registry = work / "registry.json"
        entry = {
            "version": version,
            "file": archive.name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }
        registry.write_text(json.dumps({"format": 1, "releases": [entry]}, indent=2) + "\n")

        env_dir = work / "venv"
        print(f"+ python -m venv {env_dir}", flush=True)
        venv.EnvBuilder(with_pip=True).create(env_dir)
        python = str(venv_python(env_dir))
        run([python, "-m", "pip", "install", "--quiet", str(args.wheel.resolve())])

        handler = functools.partial(_QuietHandler, directory=str(work / "site"))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DPRK_"))}
        env.update(
            DPRK_RECORDS_BASE_URL=f"http://127.0.0.1:{server.server_address[1]}/v{{version}}/",
            DPRK_RECORDS_CACHE=str(work / "cache"),
            DPRK_RECORDS_REGISTRY=str(registry),
            NO_PROXY="127.0.0.1,localhost",
        )
        check = [python, "-c", CHECK, version, args.table, str(env_dir)]
        try:
            run(check, env=env, cwd=work)  # downloads, verifies, extracts
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
        run(check, env=env, cwd=work)  # server gone: must load from the cache
    print(f"wheel smoke test passed: {args.wheel.name} loads release {version}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as exc:
        shown = "<check>" if CHECK in exc.cmd else " ".join(map(str, exc.cmd))
        print(f"wheel smoke test FAILED: {shown} exited with {exc.returncode}", file=sys.stderr)
        sys.exit(1)
