"""The OpenAPI schema of `plan serve`'s JSON API: `python -m planner.serve.openapi > docs/openapi.json`."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from planner.serve.app import Settings, create_app


def schema() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="plan-serve-") as tmp:
        app = create_app(Settings(data=Path(tmp))).fastapi
        return dict(app.openapi())


if __name__ == "__main__":
    print(json.dumps(schema(), ensure_ascii=False, indent=2))
