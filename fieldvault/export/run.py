"""One export, from request to audited files: what both the CLI and the TUI's export screen call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fieldvault import layout
from fieldvault.agefile import Identity, X25519Recipient
from fieldvault.errors import BadInput
from fieldvault.export import gate
from fieldvault.export.formats import FORMATS, SINGLE_FILE, Writer, txt
from fieldvault.export.output import FileSink, FolderSink, MemorySink, audited_exports, sweep_exports
from fieldvault.export.records import Bundle, ParticipantRecord, SessionRecord
from fieldvault.export.selection import Request
from fieldvault.export.text import DIALECTS
from fieldvault.study import Study


@dataclass(frozen=True)
class Options:
    fmt: str
    with_audio: bool = False
    dialect: str | None = None  # timestamped text for one coding tool; txt only
    memos: bool = False  # journal, field notes and recording notes as REFI-QDA Notes; qdpx only


@dataclass(frozen=True)
class Exported:
    sessions: tuple[SessionRecord, ...]
    files: list[Path]
    out: Path  # the folder or file written: a one-file export encrypted ends in .age (QA D15)
    unchecked: int = 0  # what review left unredacted and nobody checked (`fieldvault leftovers` lists it)
    notes: tuple[tuple[str, str, str], ...] = ()  # (pseudonym, session, note): older than a salvage, audio destroyed
    participants: tuple[ParticipantRecord, ...] = ()  # the rows of the sample table (demographics)

    @property
    def unreviewed(self) -> int:
        return sum(1 for s in self.sessions if not s.reviewed)


@dataclass(frozen=True)
class Names:
    """How the user asked for each option, for the messages about them: the CLI's flags, or the TUI's boxes."""

    with_audio: str = "--with-audio"
    memos: str = "--include-memos"
    dialect: str = "--dialect"
    qdpx: str = "--format qdpx"
    txt: str = "--format txt"
    out: str = "--out"
    unreviewed: str = gate.UNREVIEWED


FLAGS = Names()


def check(options: Options, out: Path | None = None, names: Names = FLAGS) -> None:
    """Refuse a request that cannot work, before anything is decrypted."""
    if options.fmt not in FORMATS:
        raise BadInput(f"unknown format {options.fmt!r}; use one of {', '.join(FORMATS)}")
    if options.with_audio and options.fmt != "qdpx":
        raise BadInput(f"{names.with_audio} goes with {names.qdpx} only")
    if options.memos and options.fmt != "qdpx":
        raise BadInput(f"{names.memos} goes with {names.qdpx} only (memos become the project's Notes)")
    if options.dialect is not None and options.fmt != "txt":
        raise BadInput(f"{names.dialect} goes with {names.txt} only (timestamped text for one coding tool)")
    if options.dialect is not None and options.dialect not in DIALECTS:
        raise BadInput(f"unknown dialect {options.dialect!r}; use one of {', '.join(DIALECTS)}")
    single = options.fmt in SINGLE_FILE
    if out is not None and out.exists() and (single or not out.is_dir() or any(out.iterdir())):
        raise BadInput(f"{out} exists; fieldvault never overwrites, give a new {names.out}")
    if out is not None and not single and out.suffix.lower() == f".{options.fmt}":  # walk22: a folder named b.docx
        raise BadInput(
            f"{options.fmt} writes one file per session into a new folder: give a new {names.out} that names a folder, "
            f"such as {out.with_suffix('')}, not a file ({out.name})"
        )


def _writer(options: Options) -> Writer:
    return txt(options.dialect) if options.dialect else FORMATS[options.fmt]


def records(
    study: Study, identities: Sequence[Identity], options: Options, request: Request, names: Names = FLAGS
) -> gate.Gated:
    """The de-identified records: the sessions a request selects, or, for the sample table, its participants."""
    if options.fmt == "demographics":  # one row per participant, transcript or not (QA H13)
        return gate.sample_table(study, identities, request)
    return gate.build(study, identities, request, gate.Wanted(options.with_audio, options.memos), names.unreviewed)


def render(
    study: Study, identities: Sequence[Identity], options: Options, request: Request, names: Names = FLAGS
) -> tuple[Bundle, dict[str, bytes]]:
    """The export's files in memory: the preview (never with audio)."""
    check(options, names=names)
    bundle = records(study, identities, Options(options.fmt, dialect=options.dialect), request, names).bundle
    sink = MemorySink()
    _writer(options)(bundle, sink)
    return bundle, sink.files


def export(
    study: Study,
    identities: Sequence[Identity],
    options: Options,
    out: Path,
    request: Request,
    recipient: X25519Recipient | None = None,
    names: Names = FLAGS,
) -> Exported:
    out = sealed_name(options, out.absolute(), recipient)  # logged where it is, whatever folder it was typed in
    gate.refuse_named(study, identities, out, "an export's path")  # first: the other refusals repeat the path
    check(options, out, names)
    study.refuse_inside(out, "an export is plaintext and")
    gated = records(study, identities, options, request, names)
    bundle = gated.bundle
    sink = FileSink(out, recipient) if options.fmt in SINGLE_FILE else FolderSink(out, recipient)
    sweep_exports(audited_exports(study.audit.readable()[0]))  # QA H7: plaintext an export killed part-way left
    # Recorded before the first byte is written: an export killed part-way leaves a temporary file of her data
    # beside its place, which a withdrawal must still list as an earlier copy (QA E13).
    study.audit.append(
        "export",
        format=options.fmt + ("+audio" if options.with_audio else "") + ("+memos" if options.memos else ""),
        out=str(out),
        count=len(gated.origins) + len(gated.people),  # the entries that follow: withdraw reads them
        recipient=str(recipient) if recipient else "none",
    )
    for pseudonym, session in gated.origins:  # her placeholder numbers kept, said (QA W2: check names them gone)
        held = (layout.participant(study.root, pseudonym) / layout.PLACEHOLDERS).is_file()
        kept = {"numbers": layout.PLACEHOLDERS} if held else {}
        study.audit.append("export", pseudonym=pseudonym, session=session, format=options.fmt, **kept)
    for pseudonym in gated.people:  # her row of the sample table: an earlier copy a withdrawal lists
        study.audit.append("export", pseudonym=pseudonym, format=options.fmt)
    try:
        _writer(options)(bundle, sink)
    except BaseException:
        study.audit.append("export.failed", out=str(out))
        raise
    return Exported(bundle.sessions, sink.written, out, gated.unchecked, gated.notes, bundle.participants)


def sealed_name(options: Options, out: Path, recipient: X25519Recipient | None) -> Path:
    """A one-file export encrypted to a recipient is named NAME.age, as each file of a folder export is: a
    `.qdpx` holding age data would be taken for a project and refused as "not a zip" (QA D15)."""
    if recipient is None or options.fmt not in SINGLE_FILE or out.suffix == ".age":
        return out
    return out.with_name(out.name + ".age")
