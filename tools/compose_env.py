"""Write `.env` for docker compose: `.env.example` with every empty secret filled at random.

    uv run python -m tools.compose_env [--path .env]

Values already in `.env` are kept, so running it again only fills what is missing.
"""

import argparse
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

REPO_ROOT = Path(__file__).resolve().parents[1]
GENERATED_KEY = "JWT_PRIVATE_KEY"


def _signing_key() -> str:
    pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode().strip().replace("\n", "\\n")


def _read(path: Path) -> dict[str, str]:
    values = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, separator, value = line.partition("=")
            if separator and not line.lstrip().startswith("#"):
                values[name.strip()] = value
    return values


def fill(example: Path, target: Path) -> list[str]:
    """Write `target` from `example`; returns the names given a fresh random value."""
    existing = _read(target)
    generated = []
    lines = []
    for line in example.read_text().splitlines():
        name, separator, default = line.partition("=")
        if not separator or line.lstrip().startswith("#"):
            lines.append(line)
            continue
        value = existing.get(name, default)
        if not value:
            value = _signing_key() if name == GENERATED_KEY else secrets.token_urlsafe(24)
            generated.append(name)
        lines.append(f"{name}={value}")
    target.write_text("\n".join(lines) + "\n")
    target.chmod(0o600)
    return generated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=REPO_ROOT / ".env")
    args = parser.parse_args()
    generated = fill(REPO_ROOT / ".env.example", args.path)
    print(f"wrote {args.path}" + (f"; generated {', '.join(generated)}" if generated else ""))


if __name__ == "__main__":
    main()
