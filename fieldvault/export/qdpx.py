"""A REFI-QDA project (.qdpx): project.qde plus one plain-text source per session.

Participants are cases with their questionnaire answers as variables; the interview guide's prompts
are codes, applied from each prompt's marker to the next. Positions count Unicode code points.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from fieldvault import wavstream
from fieldvault.agefile import Identity
from fieldvault.export.selection import ExportItem
from fieldvault.export.text import Paragraph, layout
from fieldvault.layout import session as session_folder
from fieldvault.study import Study

NS = "urn:QDA-XML:project:1.0"
_NAMESPACE = uuid.UUID("6f1e2a4c-9b0d-4c5e-8f7a-1d2c3b4a5e6f")


def guid(*parts: str) -> str:
    """Stable GUIDs, so exporting the same study twice gives the same project."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _el(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS}}}{tag}", {k: v for k, v in attributes.items() if v is not None})


def _variable_type(values: list[object]) -> str:
    present = [v for v in values if v is not None]
    return "Integer" if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present) else "Text"


def build(items: list[ExportItem], now: datetime | None = None) -> dict[str, bytes]:
    project, files = _project(items, now or datetime.now(UTC))
    return {"project.qdpx": _zip(project, files)}


def _zip(project: ET.Element, files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", ET.tostring(project, encoding="utf-8", xml_declaration=True))
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _project(items: list[ExportItem], now: datetime) -> tuple[ET.Element, dict[str, bytes]]:
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    user = guid("user", "fieldvault")
    ET.register_namespace("", NS)
    project = ET.Element(
        f"{{{NS}}}Project",
        {"name": "fieldvault export", "origin": "fieldvault", "creatingUserGUID": user, "creationDateTime": stamp},
    )
    users = _el(project, "Users")
    _el(users, "User", guid=user, name="fieldvault")

    prompts = sorted({m.text for i in items for m in i.markers})
    codebook = _el(_el(project, "CodeBook"), "Codes")
    parent = _el(codebook, "Code", guid=guid("code", "prompts"), name="Interview prompts", isCodable="false")
    for number, text in enumerate(prompts, start=1):
        code = _el(parent, "Code", guid=guid("code", text), name=f"Prompt {number}", isCodable="true")
        ET.SubElement(code, f"{{{NS}}}Description").text = text

    profiles = {i.pseudonym: i.profile for i in items if i.profile is not None}
    fields = sorted({k for p in profiles.values() for k in p.answers})
    types = {f: _variable_type([p.answers.get(f) for p in profiles.values()]) for f in fields}
    if fields:
        variables = _el(project, "Variables")
        for field in fields:
            _el(variables, "Variable", guid=guid("variable", field), name=field, typeOfVariable=types[field])

    files: dict[str, bytes] = {}
    cases = _el(project, "Cases")
    sources = _el(project, "Sources")
    for pseudonym in sorted({i.pseudonym for i in items}):
        case = _el(cases, "Case", guid=guid("case", pseudonym), name=pseudonym)
        profile = profiles.get(pseudonym)
        for field in fields if profile else ():
            value = profile.answers.get(field) if profile else None
            if value is None:
                continue
            holder = _el(case, "VariableValue")
            _el(holder, "VariableRef", targetGUID=guid("variable", field))
            tag = "IntegerValue" if types[field] == "Integer" else "TextValue"
            ET.SubElement(holder, f"{{{NS}}}{tag}").text = "; ".join(value) if isinstance(value, list) else str(value)
        for item in (i for i in items if i.pseudonym == pseudonym):
            _el(case, "SourceRef", targetGUID=guid("source", item.pseudonym, item.session))

    for item in items:
        source_id = guid("source", item.pseudonym, item.session)
        text, placed = layout(item)
        files[f"sources/{source_id}.txt"] = text.encode("utf-8")
        source = _el(
            sources,
            "TextSource",
            guid=source_id,
            name=f"{item.pseudonym} {item.session}",
            plainTextPath=f"internal://{source_id}.txt",
            creatingUser=user,
            creationDateTime=stamp,
        )
        _prompt_codings(source, item, len(text), placed, user, stamp)
    return project, files


def _prompt_codings(
    source: ET.Element, item: ExportItem, length: int, placed: list[tuple[Paragraph, int]], user: str, stamp: str
) -> None:
    """Code each stretch of talk with the prompt that opened it: from the prompt's line to the next one."""
    starts = [(position, paragraph.text) for paragraph, position in placed if paragraph.is_prompt]
    for number, (start, prompt) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else length
        selection = _el(
            source,
            "PlainTextSelection",
            guid=guid("selection", item.pseudonym, item.session, str(number)),
            name=f"Prompt {number + 1}",
            startPosition=str(start),
            endPosition=str(end),
            creatingUser=user,
            creationDateTime=stamp,
        )
        coding = _el(
            selection,
            "Coding",
            guid=guid("coding", item.pseudonym, item.session, str(number)),
            creatingUser=user,
            creationDateTime=stamp,
        )
        _el(coding, "CodeRef", targetGUID=guid("code", prompt))


def build_with_audio(study: Study, identities: Sequence[Identity], items: list[ExportItem]) -> dict[str, bytes]:
    """The project plus each session's audio as an AudioSource whose transcript is synchronised."""
    from fieldvault.audiofile import load_pcm

    now = datetime.now(UTC)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    project, files = _project(items, now)
    sources = project.find(f"{{{NS}}}Sources")
    assert sources is not None
    for item in items:
        audio_id = guid("audio", item.pseudonym, item.session)
        fmt, samples = load_pcm(study, session_folder(study.root, item.pseudonym, item.session), identities)
        files[f"sources/{audio_id}.wav"] = wavstream.complete_wav(fmt, samples.tobytes())
        audio = _el(
            sources,
            "AudioSource",
            guid=audio_id,
            name=f"{item.pseudonym} {item.session} audio",
            path=f"internal://{audio_id}.wav",
            creationDateTime=stamp,
            modifiedDateTime=stamp,
        )
        # QualCoder's importer needs both dates on a Transcript, and reads only the first one per audio.
        transcript = _el(
            audio,
            "Transcript",
            guid=guid("transcript", item.pseudonym, item.session),
            name=f"{item.pseudonym} {item.session}",
            creationDateTime=stamp,
            modifiedDateTime=stamp,
        )
        text, placed = layout(item)
        ET.SubElement(transcript, f"{{{NS}}}PlainTextContent").text = text
        for number, (paragraph, position) in enumerate(placed):
            _el(
                transcript,
                "SyncPoint",
                guid=guid("sync", item.pseudonym, item.session, str(number)),
                timeStamp=str(round(paragraph.start * 1000)),
                position=str(position),
            )
    return {"project.qdpx": _zip(project, files)}
