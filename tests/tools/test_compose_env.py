"""`make compose-env`: .env gets every secret at random, once; what is already there is kept."""

from pathlib import Path

from cryptography.hazmat.primitives import serialization

from tools.compose_env import fill

EXAMPLE = """# a comment
ENV=development
POSTGRES_PASSWORD=
JWT_PRIVATE_KEY=
ADMIN_EMAIL=admin@example.com
"""


def _values(path: Path) -> dict[str, str]:
    return dict(
        line.split("=", 1)
        for line in path.read_text().splitlines()
        if "=" in line and line[0] != "#"
    )


def test_fill_generates_empty_secrets_and_keeps_defaults(tmp_path: Path) -> None:
    example, target = tmp_path / "example", tmp_path / ".env"
    example.write_text(EXAMPLE)

    generated = fill(example, target)

    values = _values(target)
    assert generated == ["POSTGRES_PASSWORD", "JWT_PRIVATE_KEY"]
    assert len(values["POSTGRES_PASSWORD"]) >= 24
    assert values["ADMIN_EMAIL"] == "admin@example.com"
    pem = values["JWT_PRIVATE_KEY"].replace("\\n", "\n").encode()
    assert serialization.load_pem_private_key(pem, password=None) is not None
    assert target.stat().st_mode & 0o777 == 0o600


def test_fill_again_keeps_what_is_there(tmp_path: Path) -> None:
    example, target = tmp_path / "example", tmp_path / ".env"
    example.write_text(EXAMPLE)
    fill(example, target)
    first = _values(target)

    generated = fill(example, target)

    assert generated == []
    assert _values(target) == first
