"""Import a recording made on a handheld recorder: decode in memory with PyAV, encrypt as a WAV stream.

No plaintext copy is ever written; ``shred_original`` overwrites the source file before removing it.
The original's file name is not stored anywhere (it may hold a real name).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fieldvault import atomicfile, kitimports, layout, wavstream
from fieldvault.agefile import AgeWriter, Identity
from fieldvault.agefile.header import header_id, payload_id
from fieldvault.audiofile import AUDIO_ID, SAMPLES, SOURCE_SHA256, imported_sources, samples_mac, source_mac
from fieldvault.errors import BadInput
from fieldvault.events import SessionEvents, load_events
from fieldvault.importstaging import staging_folder
from fieldvault.layout import AUDIO, EVENTS, SESSION_INFO
from fieldvault.participants import new_session_folder, participant_folder, refuse_changed_letter
from fieldvault.reseal import reseal_wav
from fieldvault.sessioninfo import SessionInfo, index_kind
from fieldvault.sessionparts import CarriedOn, refuse_other_rate
from fieldvault.stewardship.lost import RESTORED, lost_lengths, made_samples, made_seconds, recordings_lost
from fieldvault.study import Study
from fieldvault.suggested import command, shell
from fieldvault.withdrawals import days_by_import


@dataclass(frozen=True)
class ImportResult:
    folder: Path
    seconds: float
    rate: int
    channels: int
    mixed_from: int = 0  # a recording of more than 2 channels: how many were mixed, each at equal weight, into one
    ran_on: bool = False  # a WAV whose header stated less audio than it held, all of it imported (wav_runs_on)
    shred_with: str | None = None  # the file's keyed digest (a kit's, or the study key's), whose keystream shreds it


def wav_runs_on(path: Path) -> bool:
    """Whether ``path`` is a WAV whose data chunk runs on past the size its header states: a recorder that lost power
    after a header checkpoint, or a file over 4 GiB whose 32-bit size wrapped. Bytes after the stated end that are
    another chunk (a recorder's LIST or iXML) are no audio; anything else there of a second or more of 8 kHz mono
    (16,000 bytes) is."""
    with path.open("rb") as wav:
        head = wav.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return False
        size = path.stat().st_size
        at = 12
        while at + 8 <= size:
            wav.seek(at)
            chunk = wav.read(8)
            length = int.from_bytes(chunk[4:8], "little")
            if chunk[:4] == b"data":
                end = at + 8 + length
                nxt = end + (length & 1)
                wav.seek(nxt)
                after = wav.read(8)
                chunk_follows = (
                    len(after) == 8
                    and re.fullmatch(rb"[A-Za-z0-9 _]{4}", after[:4]) is not None
                    and nxt + 8 + int.from_bytes(after[4:8], "little") <= size
                )
                return not chunk_follows and size - end >= 16_000
            at += 8 + length + (length & 1)
    return False


def wav_cut_short(path: Path) -> tuple[float, float] | None:
    """(seconds its header states, seconds the file holds) for a WAV whose data chunk ends before the length its
    header states (QA QD7: an interrupted copy off the recorder's card, which `--shred-original` then destroyed with
    no word but "imported 6.2 s"); None for any other file, and for a header that states no length (0 or
    0xFFFFFFFF: written as it streamed)."""
    with path.open("rb") as wav:
        head = wav.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return None
        size, at, per_second = path.stat().st_size, 12, 0
        while at + 8 <= size:
            wav.seek(at)
            chunk = wav.read(8)
            length = int.from_bytes(chunk[4:8], "little")
            if chunk[:4] == b"fmt ":
                fields = wav.read(16)
                per_second = int.from_bytes(fields[8:12], "little") if len(fields) == 16 else 0
            elif chunk[:4] == b"data":
                held = size - at - 8
                if not per_second or length in (0, 0xFFFFFFFF) or length - held < per_second // 10:
                    return None  # whole, streamed, or short of less than a tenth of a second (a header rounded up)
                return length / per_second, held / per_second
            at += 8 + length + (length & 1)
    return None


def _open_audio(path: Path):
    import av  # PyAV, which faster-whisper brings; loaded only for imports

    if not path.is_file():
        raise BadInput(f"{path} is not a file; give the path of the recording to import")
    try:
        # A WAV whose header says less than it holds is read to its end (QA T12: only the first third imported)
        container = av.open(str(path), options={"ignore_length": "1"} if wav_runs_on(path) else {})
        stream = next(s for s in container.streams if s.type == "audio")
    except StopIteration:
        raise BadInput(f"{path} holds no audio track; give a wav, flac, mp3, m4a or ogg recording") from None
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as err:
        reason = (getattr(err, "strerror", None) or str(err)).lower()
        raise BadInput(f"cannot read {path.name} as audio ({reason}); give a wav, flac, mp3, m4a or ogg file") from None
    return container, stream


def import_recording(
    study: Study,
    pseudonym: str,
    path: Path,
    identities: Sequence[Identity] = (),
    kind: SessionInfo | None = None,
    part_of: CarriedOn | None = None,
    heard: bool = False,
) -> ImportResult:
    """Encrypt ``path`` into a new session (sealed as of ``kind`` where given), all or nothing: the session is
    written in a staging folder and renamed into her folder whole, so any failure (a damaged file, a full disk, a
    kill: QA K13) leaves no session folder and no audit entry behind. With ``identities``, a file imported before
    (into any session of anyone) is refused, naming the session it became (QA J12); ``imported_before`` says when
    they are needed. ``part_of``: the interview this recording carries on (``sessionparts.carried_on``), whose sample
    rate it must have; it is sealed as that interview's next part (``kind`` is not used). ``heard``: the PI listened
    to it: it is not her recording recorded lost that it only lasts as long as (``_refuse_recorded_lost``)."""
    container, stream = _open_source(study, path, identities)
    try:
        if part_of is not None:
            refuse_other_rate(path, _stream_rate(stream), part_of)
            kind = part_of.part()
        keyed = _refuse_imported_before(study, path, identities) if identities else None
        tag = _refuse_imported_on_kit(study, path) if study.is_field_kit else None
        study.refuse_backup()
        participant_folder(study, pseudonym)  # before any work: she must exist
        refuse_changed_letter(study)  # a kit's letter changed by hand: no one is recorded on it (QA R20)
        with staging_folder(study.root) as staging:
            recording = _encrypt_into(study, staging, path, container, stream)
            if part_of is None:
                her = participant_folder(study, pseudonym).name
                _refuse_recorded_lost(study, her, path, recording, identities, heard)
            folder = _into_place(study, staging, pseudonym, recording, kind, tag)
    finally:
        container.close()
    study.audit.append(  # the recording's payload id: one put back after it was recorded lost must be it (QA X10)
        "import",
        pseudonym=folder.parent.name,
        session=folder.name,
        seconds=recording.seconds,
        payloads=str(recording.info[AUDIO_ID]),
        header=header_id(folder / AUDIO) or "",  # what a kit's copy must be sealed under (qa27 QC3), and its timeline
        timeline=header_id(folder / EVENTS) or "",  # and session record (qa28 QD9)
        session_info=header_id(folder / SESSION_INFO) or "",
        **_proof(study, identities, recording),
    )
    ran_on = wav_runs_on(path)
    return ImportResult(  # a kit's tag, or the study key's: the rerun of a shred cut off knows the overwrite
        folder, recording.seconds, recording.rate, recording.channels, recording.mixed_from, ran_on, tag or keyed
    )


def _open_source(study: Study, path: Path, identities: Sequence[Identity]):
    """``_open_audio``, where a file that is nothing but an overwrite by an import's own `--shred-original` (on a kit,
    or in the study with its key), cut off before it removed the file, is named for what it is (QA AA9 K=25: "cannot
    read rec.wav as audio" sent her to a recording already imported and sealed)."""
    try:
        return _open_audio(path)
    except BadInput:
        if path.is_file() and (session := _overwritten(study, path, identities)) is not None:
            raise BadInput(
                f"{path.name} was overwritten by an import's --shred-original that was cut off (imported as "
                f"{session}): it holds nothing of the recording; delete it (`{shell('rm', path)}`)"
            ) from None
        raise


def _overwritten(study: Study, path: Path, identities: Sequence[Identity]) -> str | None:
    """The session (relative to the study) whose import's `--shred-original` overwrote ``path`` whole; None for any
    other file (or in the study without its key, which ``shred_tag`` needs)."""
    if study.is_field_kit:
        return kitimports.overwritten(study, path)
    tags = (
        (tag, session.relative_to(study.root).as_posix())
        for session, source in imported_sources(study, layout.timed_sessions(study.root), identities)
        if (tag := source_mac(study, identities, source)) is not None
    )
    return kitimports.overwritten_by(path, tags)


def _refuse_imported_on_kit(kit: Study, path: Path) -> str:
    """The keyed digest of ``path`` (``kitimports.source_tag``); a file an import on this kit made a session of,
    still in place, is refused and left where it is (QA AA9: imported again as a follow-up, merge-kit then refused
    the whole kit)."""
    tag = kitimports.source_tag(kit, _digest(path))
    if (session := kitimports.imported_here(kit, tag)) is not None:
        raise BadInput(
            f"{path.name} was imported on this kit already, as {session}; nothing was imported. It is left as it "
            "is (a kit cannot open that session to prove it holds this file): delete it once `merge-kit` has "
            f"brought that session into the study (`{shell('shred', '-u', path)}`)"
        )
    return tag


def restore_recording(
    study: Study, pseudonym: str, session: str, path: Path, identities: Sequence[Identity], heard: bool = False
) -> Path:
    """`import --restores SESSION` (QA Y13): the recorder's own file of her session's recording, recorded lost, found
    again (on its card), sealed back into that session, where it is that recording: never a file imported as another
    session, and the one her session's signed import entry recorded the samples of (QA Z7: a length to the
    millisecond took another interview); where it recorded none (an import before that, or with the study locked),
    the very file her timeline names, where it is still there, else one as long, to the millisecond, as her import
    entry recorded, and only ``heard`` (the PI listened to it beside her transcript). The timeline is sealed afresh for
    it (its notes kept, where it was there), and a signed entry records the new recording's payload id, which makes it
    hers (``lost.made_payloads``), and its samples. Returns the recording's path."""
    folder = layout.session(study.root, participant_folder(study, pseudonym).name, session)
    relative = folder.relative_to(study.root).as_posix()
    study.refuse_backup()
    if not study.audit.keyed:
        raise BadInput("--restores needs the study passphrase (the PI's): it writes a signed entry")
    if relative not in recordings_lost(study) or os.path.lexists(folder / AUDIO):
        raise BadInput(
            f"{relative}'s recording was not recorded lost, or a recording lies in its place: nothing was imported "
            f"(`{command('check', study.root)}` says what to do with it)"
        )
    timeline = load_events(study, folder, identities) if (folder / EVENTS).is_file() else None
    proof = made_samples(study, relative)
    if proof is None and timeline is not None and timeline.info.get(SOURCE_SHA256) != _digest(path):
        raise BadInput(
            f"{path.name} is not the file {relative} was imported from (its timeline says): nothing was imported "
            f"(`{command('check', study.root)}` names a timeline there that is not hers)"
        )
    _refuse_imported_before(study, path, identities, restoring=folder)
    expected = made_seconds(study, relative)
    container, stream = _open_audio(path)
    try:
        with staging_folder(study.root) as staging:
            recording = _encrypt_into(study, staging, path, container, stream)
            if expected is None or abs(recording.seconds - expected) > 0.0005:
                said = "recorded no length" if expected is None else f"recorded {expected:.3f} s"
                raise BadInput(
                    f"{path.name} lasts {recording.seconds:.3f} s, but her session's import {said}: it is not that "
                    "recording, or nothing ties it to her session; nothing was imported"
                )
            if proof is not None and samples_mac(study, identities, recording.samples) != proof:
                raise BadInput(
                    f"{path.name} is not the recording of {relative}: it lasts as long, but its samples are not the "
                    "ones her session's import recorded (a recorder's next part, or another woman's recording?); "
                    "nothing was imported"
                )
            if proof is None and timeline is None and not heard:
                raise BadInput(f"{_only_length(study, path, relative)}; nothing was imported")
            kept = {} if timeline is None else timeline.info
            info = {**recording.info, **kept, AUDIO_ID: recording.info[AUDIO_ID]}
            events = SessionEvents(folder.parent.name, session, info, [] if timeline is None else timeline.events)
            study.write_new(staging / EVENTS, events.to_json())
            atomicfile.sync_folder(staging)
            os.replace(staging / EVENTS, folder / EVENTS)  # first: a recording never lies beside a timeline not its own
            os.rename(staging / AUDIO, folder / AUDIO)
            atomicfile.sync_folder(folder)
            staging.rmdir()
    finally:
        container.close()
    study.audit.append(
        RESTORED, pseudonym=folder.parent.name, session=session, seconds=recording.seconds,
        payloads=str(recording.info[AUDIO_ID]), **_proof(study, identities, recording),
    )  # fmt: skip
    return folder / AUDIO


def _only_length(study: Study, path: Path, relative: str) -> str:
    """What is said where only a length ties ``path`` to the session at ``relative``, whose recording was recorded
    lost (its import recorded no samples, her timeline is gone): the PI hears it before anything is sealed (QA Z7).
    Listening beside her timed transcript tells her interview from a recorder's next part or another woman's; a
    comparison of the transcript's timings with the file's pauses would not (a next part of the same talk has pauses
    too), and would look like proof."""
    _, pseudonym, session = relative.split("/")
    read = command("transcript", study.root, pseudonym, session)
    restore = command("import", study.root, pseudonym, path, "--restores", session, "--heard")
    again = command("import", study.root, pseudonym, path, "--heard")
    return (
        f"{path.name} lasts as long as the recording of {relative}, which was recorded lost, and nothing else ties it "
        "to her session (its import recorded no digest of its samples, and her timeline is gone): a recorder's next "
        f"part, or another woman's recording on the same card, can last as long. Listen to it (on the card, in any "
        f"player) beside her timed transcript (`{read}`): if it is her interview, `{restore}` seals it back; if it is "
        f"another recording, `{again}` imports it as a new session"
    )


def _proof(study: Study, identities: Sequence[Identity], recording: _Encrypted) -> dict[str, str]:
    """The entry's ``SAMPLES`` where the study key is at hand (QA Z7), else nothing."""
    mac = samples_mac(study, identities, recording.samples)
    return {} if mac is None else {SAMPLES: mac}


@dataclass(frozen=True)
class _Encrypted:
    seconds: float
    rate: int
    channels: int
    info: dict[str, object]
    mixed_from: int
    samples: str  # the SHA-256 of the samples sealed (``SAMPLES``)


def _encrypt_into(study: Study, staging: Path, path: Path, container, stream) -> _Encrypted:
    """The recording decoded, in 16-bit samples at its own rate, sealed into ``staging``. One or two channels are
    kept as they are; more (a field recorder's room microphones and lavaliers) are mixed into one, each channel at
    equal weight: FFmpeg's downmix to stereo read a 3-, 6- or 8-channel file as a 2.1, 5.1 or 7.1 layout and
    dropped its LFE channel, and the woman on that lavalier was silent in the only copy (QA T2)."""
    import av

    rate = _stream_rate(stream)
    source = int(stream.codec_context.channels or 1)
    channels = min(source, 2)
    if source > 2:  # decoded in its own layout, no remix, and mixed here
        resampler = av.AudioResampler(format="flt", layout=stream.layout, rate=rate)
        channels = 1
    else:
        resampler = av.AudioResampler(format="s16", layout="stereo" if channels == 2 else "mono", rate=rate)
    frames = 0
    digest = hashlib.sha256()

    def samples(frame) -> bytes:
        data = np.ascontiguousarray(frame.to_ndarray().reshape(-1))
        if source <= 2:
            pcm = data[: frame.samples * channels].tobytes()
        else:
            mixed = data[: frame.samples * source].reshape(-1, source).mean(axis=1) * 32767.0
            pcm = np.clip(np.rint(mixed), -32768, 32767).astype("<i2").tobytes()
        digest.update(pcm)
        return pcm

    fd = os.open(staging / AUDIO, os.O_WRONLY | os.O_CREAT | os.O_EXCL, atomicfile.FILE_MODE)
    with os.fdopen(fd, "wb") as out:
        writer = AgeWriter(out, study.recipients())
        writer.write(wavstream.header(wavstream.WavFormat(rate, channels)))
        try:
            for packet_frame in container.decode(stream):
                for frame in resampler.resample(packet_frame):
                    writer.write(samples(frame))
                    frames += frame.samples
            for frame in resampler.resample(None):
                writer.write(samples(frame))
                frames += frame.samples
        except av.error.FFmpegError as err:
            reason = (getattr(err, "strerror", None) or str(err)).lower()
            raise BadInput(f"{path.name} is damaged or unsupported ({reason}); nothing was imported") from None
        writer.finish()
        writer.sync()
    if frames == 0:
        raise BadInput(f"{path.name} holds no audio samples; nothing was imported")
    reseal_wav(staging / AUDIO, writer.file_key)  # the WAV states its true length for `age -d`
    seconds = round(frames / rate, 3)
    info: dict[str, object] = {
        "device": "imported recording",
        "rate": rate,
        "channels": channels,
        **({"mixed_from": source} if source > 2 else {}),
        "duration": seconds,
        "started": study.clock().isoformat(timespec="seconds"),
        "complete": True,
        AUDIO_ID: payload_id(staging / AUDIO),  # the recording this timeline belongs to (QA H1)
        SOURCE_SHA256: _digest(path),  # sealed: `check` names two sessions imported from one file (QA J12)
    }
    return _Encrypted(seconds, rate, channels, info, source if source > 2 else 0, digest.hexdigest())


def _stream_rate(stream) -> int:
    return int(stream.codec_context.sample_rate or stream.rate)


def _into_place(
    study: Study, staging: Path, pseudonym: str, recording: _Encrypted, kind: SessionInfo | None, tag: str | None
) -> Path:
    """Seal the timeline and the session's record under the session's name, then rename the whole session into her
    folder, over the empty folder that reserved the name (a rename replaces only an empty folder). On a field kit,
    ``tag`` (the file's keyed digest) is logged first (``kitimports.STAGED``): the kit then knows the file once its
    session is in place, even where the import is cut off before its own entry."""
    folder = new_session_folder(study, pseudonym)
    try:
        if kind is not None and kind.continues and folder.name <= kind.continues:
            raise BadInput(
                f"this computer's clock says {study.clock():%Y-%m-%d %H:%M} UTC, before session {kind.continues} "
                "began: a part is filed after the interview it carries on. Set the date and time, then import again"
            )
        study.write_new(staging / EVENTS, SessionEvents(folder.parent.name, folder.name, recording.info).to_json())
        if kind is not None:
            study.write_new(staging / SESSION_INFO, kind.sealed_for(folder))
        atomicfile.sync_folder(staging)
        if tag is not None:
            study.audit.append(kitimports.STAGED, pseudonym=folder.parent.name, session=folder.name, source=tag)
        os.rename(staging, folder)
    except BaseException:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        raise
    atomicfile.sync_folder(folder.parent)
    atomicfile.sync_folder(study.root)
    if kind is not None:
        index_kind(study.root, folder, kind)
    return folder


def imported_before(study: Study) -> bool:
    """Whether any recording was imported into this study (here, or on a kit merged since): then a new import is
    checked against the files they came from, which their sealed timelines name, so it needs the study's key. A
    field kit cannot read them (``merge-kit`` and ``check`` name a file imported twice there)."""
    if study.is_field_kit:
        return False
    for entry in study.audit.entries():
        details = entry.get("details")
        origin = details.get("origin_action") if isinstance(details, dict) else None
        if entry.get("action") == "import" or origin == "import":  # a withdrawn woman's stay in the log
            return True
    return False


def _refuse_imported_before(
    study: Study, path: Path, identities: Sequence[Identity], restoring: Path | None = None
) -> str:
    """A file imported before (into any session, hers or another woman's: QA J12; but ``restoring``, the session it is
    sealed back into), or one whose recording went with a woman's withdrawal (QA K4: the card still holds it), is
    refused. Else its SHA-256 keyed with the study key (``source_mac``)."""
    digest = _digest(path)
    lost = recordings_lost(study)
    for session, source in imported_sources(study, layout.timed_sessions(study.root), identities):
        if source == digest and session != restoring and session.relative_to(study.root).as_posix() in lost:
            restore = command("import", study.root, session.parent.name, path, "--restores", session.name)
            raise BadInput(
                f"{path.name} is the recording of {session.relative_to(study.root)}, which was recorded lost: seal it "
                f"back into her session with `{restore}`; nothing was imported"
            )
        if source == digest and session != restoring:
            raise BadInput(
                f"{path.name} was imported before, as {session.relative_to(study.root)}: nothing was imported (a "
                "follow-up is a new recording; if that session is under the wrong participant, move it with "
                "`fieldvault session move`)"
            )
    if (keyed := source_mac(study, identities, digest)) is None:  # a transcriber's key (QA K7)
        raise BadInput(
            "only the study key can tell a file imported before, or the recording of a participant who withdrew: "
            "nothing was imported; import with the study passphrase (not --identity)"
        )
    if (day := days_by_import(study.withdrawals()).get(keyed)) is not None:
        raise BadInput(
            f"{path.name} is the recording of a participant who withdrew ({day}): it must not be imported, and "
            "nothing was; delete the original (on the recorder's card too)"
        )
    return keyed


def _refuse_recorded_lost(
    study: Study, pseudonym: str, path: Path, recording: _Encrypted, identities: Sequence[Identity], heard: bool
) -> None:
    """QA Y13: the recorder's file of her session whose recording was recorded lost (its timeline gone with it) was
    filed as a new follow-up: refused with the way to seal it back where its samples are the ones that session's import
    recorded. Where its import recorded none, or on a field kit (no key to tell), one as long as that recording, to
    the millisecond, is refused until the PI has heard it (QA Z7: "it is that recording" filed another interview
    under her transcript; Z13: the kit, which knows what the study recorded lost when it was made, took it)."""
    mine = samples_mac(study, identities, recording.samples)
    for folder, made in lost_lengths(study).items():
        _, owner, session = folder.split("/")
        proof = None if study.is_field_kit else made_samples(study, folder)
        if owner != pseudonym or (proof is not None and mine is not None and proof != mine):
            continue
        if proof is not None and proof == mine:
            restore = command("import", study.root, pseudonym, path, "--restores", session)
            raise BadInput(
                f"{path.name} is the recording of {folder}, which was recorded lost (its samples are the ones her "
                f"session's import recorded): seal it back into her session with `{restore}`; nothing was imported"
            )
        if heard or made is None or abs(made - recording.seconds) >= 0.0005:
            continue
        if study.is_field_kit:
            restore = command("import", "STUDY", pseudonym, path, "--restores", session)
            raise BadInput(
                f"{path.name} lasts {recording.seconds:.3f} s, as long as the recording of {folder}, which the study "
                f"had recorded lost when this kit was made; a kit cannot tell whether it is that recording. Listen to "
                f"it: if it is her interview, import it in the study, not here (`{restore}`); if it is another "
                f"recording, `{command('import', study.root, pseudonym, path, '--heard')}`; nothing was imported"
            )
        raise BadInput(f"{_only_length(study, path, folder)}; nothing was imported")


def _digest(path: Path) -> str:
    with path.open("rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


def shred(path: Path, tag: str | None = None) -> None:
    """Overwrite with random bytes (given the file's keyed digest ``tag``, its keystream: the rerun of an import cut
    off before the removal then knows the file, ``_overwritten``), sync, then remove. Flash storage and copy-on-write
    file systems may keep old blocks regardless: full-disk encryption is the real protection there."""
    size = path.stat().st_size
    stream = kitimports.keystream(tag) if tag is not None else None
    with path.open("r+b") as target:
        remaining = size
        while remaining:
            block = next(stream)[:remaining] if stream is not None else os.urandom(min(remaining, 1 << 20))
            target.write(block)
            remaining -= len(block)
        target.flush()
        os.fsync(target.fileno())
    path.unlink()
    atomicfile.sync_folder(path.parent)
