"""Serve the dashboard without a public CDN: put Solara's browser files into its local asset cache.

Solara's page loads its JavaScript and CSS (the Vuetify app, require.js, Font Awesome) from a CDN through the
server's asset proxy, which keeps what it fetched in ``<venv>/share/solara/cdn/``. On a machine that cannot reach
that CDN but can reach the npm registry, this fills the cache with the same packages by ``npm pack`` (about
100 MB, once):

    uv run python -m dashboards.offline_assets

It only adds packages that are missing; nothing is executed, the files are only unpacked. The dashboard does this
by itself when it starts and the CDN cannot be reached (:func:`ensure`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

# "{{cdn}}/requirejs@2.3.6/require.js" in the page template, "${this.getCdn()}/katex@0.16.9/..." in components
_SPEC = re.compile(r"(?:\{\{\s*cdn\s*\}\}|getCdn\(\)\})/((?:@[\w.-]+/)?[\w.-]+@\d[\w.-]*)/")
#: Solara files whose CDN packages the dashboard's page uses (the page itself and Markdown's math and diagrams).
_SOURCES = ("server/templates/solara.html.j2", "components/markdown.py")


def cache_dir() -> Path:
    """Solara's asset cache (``SOLARA_ASSETS_PROXY_CACHE_DIR`` or ``<venv>/share/solara/cdn``)."""
    import solara.server.settings as settings

    return Path(settings.assets.proxy_cache_dir)


def needed_packages() -> list[str]:
    """The npm packages (name@version) the installed Solara's page template loads from the CDN."""
    import solara.server.settings as settings

    root = Path(sys.modules["solara.server.settings"].__file__).parent.parent
    specs = set()
    for source in _SOURCES:
        specs.update(_SPEC.findall((root / source).read_text(encoding="utf-8")))
    fontawesome = settings.assets.fontawesome_path.strip("/").split("/")[0]
    if fontawesome:
        specs.add(fontawesome)
    return sorted(specs)


def missing_packages(cache: Path | None = None) -> list[str]:
    """Packages not yet in the cache."""
    cache = cache or cache_dir()
    return [spec for spec in needed_packages() if not (cache / spec / "package.json").exists()]


def cdn_reachable(timeout: float = 3.0) -> bool:
    """Whether Solara's public CDN answers."""
    import solara.settings

    try:
        with urllib.request.urlopen(str(solara.settings.assets.cdn), timeout=timeout):
            return True
    except OSError:
        return False


def ensure(log: Any = print) -> None:
    """Before the page is served: when assets are missing and the CDN cannot be reached, fetch them from npm.

    Failures are reported through ``log`` and otherwise ignored (the page then needs the CDN).
    """
    try:
        if not missing_packages() or cdn_reachable():
            return
        log("Solara's CDN cannot be reached: fetching its browser files from the npm registry (once) ...")
        added = install()
        log(f"added to {cache_dir()}: {', '.join(added)}")
    except (RuntimeError, OSError) as e:
        log(f"could not fetch Solara's browser files ({e}); the page needs the CDN")


def install(cache: Path | None = None, npm: str = "npm") -> list[str]:
    """Unpack every missing package into the cache with ``npm pack``; returns what was added.

    Raises:
        RuntimeError: npm is absent or a package cannot be fetched (naming it).
    """
    cache = cache or cache_dir()
    missing = missing_packages(cache)
    if not missing:
        return []
    if shutil.which(npm) is None:
        raise RuntimeError(f"npm is needed to fetch {', '.join(missing)} (Debian: apt-get install npm)")
    added = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec in missing:
            done = subprocess.run([npm, "pack", spec, "--silent"], cwd=tmp, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"npm pack {spec} failed: {done.stderr.strip()[:300]}")
            tarball = Path(tmp) / done.stdout.strip().splitlines()[-1]
            target = cache / spec
            staging = Path(tmp) / "unpacked"
            with tarfile.open(tarball) as archive:
                archive.extractall(staging, filter="data")
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(staging / "package"), target)
            shutil.rmtree(staging, ignore_errors=True)
            added.append(spec)
    return added


if __name__ == "__main__":
    try:
        added = install()
    except RuntimeError as e:
        print(f"offline_assets: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"added to {cache_dir()}: {', '.join(added)}" if added else f"all assets present in {cache_dir()}")
