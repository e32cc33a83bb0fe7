"""Older revisions of this repository checked out beside it, for benchmarks that compare them with this checkout.

    with older_checkouts(["0d89128", "009c5eb"]) as dirs:   # {revision: folder of its temporary worktree}
        ...

Each revision is a detached git worktree in a temporary folder, removed (with the folder) when the block ends,
whatever happens inside it.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def older_checkouts(revs: Sequence[str]) -> Iterator[dict[str, Path]]:
    """Check out every revision in ``revs`` in a temporary worktree; yields {revision: its folder}."""
    with tempfile.TemporaryDirectory() as tmp:
        dirs: dict[str, Path] = {}
        try:
            for k, rev in enumerate(revs):
                dirs[rev] = Path(tmp) / f"old{k}"
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(dirs[rev]), rev],
                    check=True,
                    capture_output=True,
                )
            yield dirs
        finally:
            for path in dirs.values():
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)],
                    check=False,
                    capture_output=True,
                )
