"""Each coder's Ed25519 key pair, kept on this machine; the project holds only public keys.

The private key is made the first time a coder signs something (a phase sign-off, a
snapshot) and lives in the user's config folder, readable by its owner alone (mode 0600), so
a copy of the project alone cannot sign in anyone's name. ``THEMATIC_CONFIG_DIR`` moves the
folder (tests, portable installs).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from thematic_workbench.core import APP_NAME
from thematic_workbench.core.errors import WorkbenchError


def config_dir() -> Path:
    """Where this user's private keys live (``THEMATIC_CONFIG_DIR`` overrides)."""
    chosen = os.environ.get("THEMATIC_CONFIG_DIR", "").strip()
    return Path(chosen) if chosen else Path(platformdirs.user_config_dir(APP_NAME))


def key_path(coder_name: str) -> Path:
    """One file per coder name; the name's digest keeps any name a safe file name."""
    digest = hashlib.sha256(coder_name.encode("utf-8")).hexdigest()[:24]
    return config_dir() / "keys" / f"{digest}.pem"


def public_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw,
                               serialization.PublicFormat.Raw).hex()


def fingerprint(public_key: str) -> str:
    """A short, readable name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(bytes.fromhex(public_key)).hexdigest()[:16]


def _read(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise WorkbenchError(f"{path}: the signing key cannot be read ({exc}); move it "
                             "aside to make a new one") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise WorkbenchError(f"{path}: is not an Ed25519 signing key")
    return key


def load_or_create(coder_name: str) -> Ed25519PrivateKey:
    """The coder's private key on this machine, made (mode 0600) on first use."""
    path = key_path(coder_name)
    if path.exists():
        return _read(path)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it a moment ago: use that one
        return _read(path)
    except OSError as exc:
        raise WorkbenchError(f"{path}: a signing key cannot be saved there "
                             f"({exc.strerror})") from exc
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(pem)
        stream.flush()
        os.fsync(stream.fileno())
    return key


def signature_ok(public_key: str, message: bytes, signature: str) -> bool:
    """Whether ``signature`` (hex) was made over ``message`` by ``public_key`` (hex)."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True
