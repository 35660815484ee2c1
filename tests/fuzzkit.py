"""Mutations for fuzzing the age reader and merge-kit: shared by the bounded tests and bench/fuzz.py.

Every mutation is drawn from a seeded random.Random, so a failure names a seed that reproduces it.
"""

from __future__ import annotations

import io
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fieldvault.agefile import CHUNK, AgeReader, Identity, Recipient, encrypt_bytes
from fieldvault.errors import FieldvaultError

AGE_MUTATIONS = ("flip", "truncate", "insert", "delete", "splice", "header-line", "duplicate-chunk", "zero-run")


def mutate_age(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One random mutation of an age file, and its name."""
    kind = rng.choice(AGE_MUTATIONS)
    buf = bytearray(data)
    at = rng.randrange(len(buf))
    if kind == "flip":
        buf[at] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        del buf[at:]
    elif kind == "insert":
        buf[at:at] = os.urandom(rng.randint(1, 40))
    elif kind == "delete":
        del buf[at : at + rng.randint(1, 40)]
    elif kind == "splice":
        buf[at : at + 8] = rng.choice([b"\n", b"-> ", b"--- ", b" ", b"=", b"\r\n", b"\x00" * 8])
    elif kind == "header-line":
        end = data.index(b"\n---") + 1
        lines = data[:end].split(b"\n")
        lines.insert(rng.randrange(1, len(lines)), rng.choice([b"-> X25519", b"-> scrypt AAAA 10", b"", b"-> a b c"]))
        buf = bytearray(b"\n".join(lines) + data[end:])
    elif kind == "duplicate-chunk" and len(buf) > CHUNK:
        start = len(buf) - CHUNK - 16
        buf[start:start] = buf[start : start + CHUNK + 16]
    else:
        buf[at : at + 64] = bytes(min(64, len(buf) - at))
    return kind, bytes(buf)


@dataclass
class ReaderOutcome:
    released: bytes
    error: FieldvaultError | None


def read_mutated(data: bytes, identities: Sequence[Identity]) -> ReaderOutcome:
    """Decrypt as far as the reader goes. Anything but a FieldvaultError escapes: that is a finding."""
    released = bytearray()
    try:
        for chunk in AgeReader(io.BytesIO(data), identities).chunks():
            released += chunk
    except FieldvaultError as err:
        return ReaderOutcome(bytes(released), err)
    return ReaderOutcome(bytes(released), None)


@dataclass
class AgeFuzzCounts:
    files: int = 0
    refused: int = 0
    accepted_intact: int = 0  # a mutation that left the authenticated content alone (e.g. in a MAC's padding)
    findings: list[str] = field(default_factory=list)


def fuzz_age_once(plaintext: bytes, recipients: Sequence[Recipient], identities: Sequence[Identity],
                  rng: random.Random, counts: AgeFuzzCounts) -> tuple[str, bytes, ReaderOutcome]:  # fmt: skip
    """Encrypt, mutate, read; record a finding if bytes not in the original were released."""
    original = encrypt_bytes(plaintext, recipients)
    kind, mutated = mutate_age(original, rng)
    outcome = read_mutated(mutated, identities)
    counts.files += 1
    if not plaintext.startswith(outcome.released):
        counts.findings.append(f"{kind}: released bytes that are not the plaintext's")
    elif outcome.error is None:
        if outcome.released != plaintext:
            counts.findings.append(f"{kind}: accepted a file and returned a different plaintext")
        else:
            counts.accepted_intact += 1
    else:
        counts.refused += 1
    return kind, mutated, outcome


def _rewrite(path: Path, data: bytes) -> None:
    """Replace a kit file by a new one, so a hard link planted earlier never carries the change outside."""
    if path.exists() or path.is_symlink():
        path.unlink()
    path.write_bytes(data)


KIT_ATTACKS = (
    "symlink-file", "symlink-dir", "fifo", "hardlink-outside", "garbage", "flip-byte", "truncate", "bad-name",
    "extra-file", "deep-folder", "empty-file", "plaintext-wav", "foreign-recipient", "swap-files",
    "replace-toml-recipient", "audit-garbage",
)  # fmt: skip


def craft_kit(kit: Path, outside: Path, rng: random.Random, recipients: Sequence[Recipient]) -> list[str]:
    """Apply one to three random attacks to a kit folder; the names of those applied."""
    files = sorted(p for p in (kit / "participants").rglob("*") if p.is_file() and not p.is_symlink())
    folders = sorted(p for p in (kit / "participants").rglob("*") if p.is_dir() and not p.is_symlink())
    applied = []
    for _ in range(rng.randint(1, 3)):
        attack = rng.choice(KIT_ATTACKS)
        target = rng.choice(files) if files else None
        folder = rng.choice(folders) if folders else kit / "participants"
        if attack == "symlink-file" and target is not None:
            target.unlink()
            target.symlink_to(outside / "secret.txt")
        elif attack == "symlink-dir":
            link = folder / rng.choice(["20261201-120000", "Eve", "events.d"])
            if not link.exists() and not link.is_symlink():  # drawn twice, or a real folder of that name
                link.symlink_to(outside, target_is_directory=True)
        elif attack == "fifo":
            name = folder / rng.choice(["audio.wav.age", "events.json.age", "x.age"])
            if not name.exists():
                os.mkfifo(name)
        elif attack == "hardlink-outside" and target is not None:
            target.unlink()
            os.link(outside / "secret.txt", target)
        elif attack == "garbage" and target is not None:
            _rewrite(target, os.urandom(rng.randint(0, 3000)))
        elif attack == "flip-byte" and target is not None:
            flipped = bytearray(target.read_bytes())
            if flipped:
                flipped[rng.randrange(len(flipped))] ^= 0x10
                _rewrite(target, bytes(flipped))
        elif attack == "truncate" and target is not None:
            whole = target.read_bytes()
            _rewrite(target, whole[: rng.randrange(len(whole) + 1)])
        elif attack == "bad-name":
            bad = rng.choice(
                ["Le\nna", "\u202eanel", "a:b", "a\\b", "..dots", "Ros\u0435", " ", "x" * 60, "L\u200dena"]
            )
            (kit / "participants" / bad).mkdir(exist_ok=True)
        elif attack == "extra-file":
            (folder / rng.choice(["notes.txt", ".hidden", "audio.wav", "profile.json"])).write_bytes(b"hello")
        elif attack == "deep-folder":
            (folder / "a" / "b" / "c").mkdir(parents=True, exist_ok=True)
        elif attack == "empty-file" and target is not None:
            _rewrite(target, b"")
        elif attack == "plaintext-wav" and target is not None:
            _rewrite(target, b"RIFF\xff\xff\xff\xffWAVEfmt " + os.urandom(100))
        elif attack == "foreign-recipient" and target is not None:
            from fieldvault.agefile import X25519Identity

            extra = [*recipients, X25519Identity.generate().recipient()]
            _rewrite(target, encrypt_bytes(b"planted", rng.choice([extra, extra[-1:]])))
        elif attack == "swap-files" and len(files) > 1:
            a, b = rng.sample(files, 2)
            data_a, data_b = a.read_bytes(), b.read_bytes()
            _rewrite(a, data_b)
            _rewrite(b, data_a)
        elif attack == "replace-toml-recipient":
            toml = kit / "study.toml"
            from fieldvault.agefile import X25519Identity

            key = str(X25519Identity.generate().recipient())
            toml.write_text(toml.read_text().replace(str(recipients[0]), key, 1))
        elif attack == "audit-garbage":
            with (kit / "audit.jsonl").open("ab") as log:
                log.write(rng.choice([b"[1,2]\n", b"null\n", b"\xff\n", b'{"seq": 99']))
        else:
            continue
        applied.append(attack)
    return applied
