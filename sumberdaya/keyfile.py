"""Keep a generated SECRET_KEY in var/secret_key for development and tests: `python -m sumberdaya.keyfile`.

`make install` runs it. Settings only read the file (importing them writes nothing); production sets the
SECRET_KEY environment variable instead. Plain Python, no Django: it runs before settings can load.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def ensure(var_dir: Path) -> Path:
    """Create var_dir (and its static/ folder) and a key file readable only by its owner, unless one exists."""
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    path = var_dir / "secret_key"
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
    return path


def main() -> None:
    var_dir = Path(os.environ.get("SUMBERDAYA_VAR", Path(__file__).resolve().parent.parent / "var"))
    print(ensure(var_dir))


if __name__ == "__main__":
    main()
