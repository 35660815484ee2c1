"""A REFI-QDA project (.qdpx), written as a stream: project.qde, one internal .txt per transcript,
and with audio each recording as an internal .wav copied chunk by chunk (memory stays bounded
whatever the recordings' size).

Participants are cases with their questionnaire answers as variables. The guide's prompts are codes
numbered in the guide's order, applied from each prompt's line to the next. Each case also has a code
with the case's GUID that covers its transcripts: that is how QualCoder's importer links cases to
sources (it ignores SourceRef inside Case; see its clean_up_case_codes_and_case_text).
An audio source carries its transcript as Transcript@plainTextPath (the form QualCoder reads) with
SyncPoints. Positions count Unicode code points.
"""

from __future__ import annotations

import struct
import uuid
import zipfile
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from fieldvault import wavstream
from fieldvault.export.records import UNREVIEWED, Audio, Bundle, SessionRecord, Sink
from fieldvault.export.text import Paragraph, layout

NS = "urn:QDA-XML:project:1.0"
_NAMESPACE = uuid.UUID("6f1e2a4c-9b0d-4c5e-8f7a-1d2c3b4a5e6f")


def guid(*parts: str) -> str:
    """Stable GUIDs, so exporting the same study twice gives the same project."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _el(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS}}}{tag}", attributes)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{NS}}}{tag}").text = text


class _Project:
    def __init__(self, bundle: Bundle, now: datetime) -> None:
        self.bundle = bundle
        self.stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.user = guid("user", "fieldvault")
        ET.register_namespace("", NS)
        self.root = ET.Element(
            f"{{{NS}}}Project",
            {"name": "fieldvault export", "origin": "fieldvault", "creatingUserGUID": self.user,
             "creationDateTime": self.stamp},
        )  # fmt: skip
        _el(_el(self.root, "Users"), "User", guid=self.user, name="fieldvault")
        self.texts: dict[str, str] = {}  # internal file name -> transcript text

    def made(self) -> dict[str, str]:
        return {"creatingUser": self.user, "creationDateTime": self.stamp}

    def codebook(self) -> None:
        codes = _el(_el(self.root, "CodeBook"), "Codes")
        parent = _el(codes, "Code", guid=guid("code", "prompts"), name="Interview prompts", isCodable="false")
        for prompt in self.bundle.prompts:
            code = _el(parent, "Code", guid=guid("code", prompt.key), name=prompt.label, isCodable="true")
            _text(code, "Description", prompt.text)
        for person in self.bundle.participants:
            code = _el(codes, "Code", guid=guid("case", person.name), name=person.name, isCodable="true")
            _text(code, "Description", "The case's transcripts (links the case to its sources in QualCoder).")

    def variables(self) -> dict[str, str]:
        types = {}
        for field in self.bundle.fields:
            values = [a.value for p in self.bundle.participants for a in p.answers if a.field == field]
            types[field] = "Integer" if all(isinstance(v, int) for v in values) else "Text"
        if types:
            holder = _el(self.root, "Variables")
            for field, kind in types.items():
                _el(holder, "Variable", guid=guid("variable", field), name=field, typeOfVariable=kind)
        return types

    def cases(self, types: dict[str, str]) -> None:
        holder = _el(self.root, "Cases")
        for person in self.bundle.participants:
            case = _el(holder, "Case", guid=guid("case", person.name), name=person.name)
            for answer in person.answers:
                value = _el(case, "VariableValue")
                _el(value, "VariableRef", targetGUID=guid("variable", answer.field))
                _text(value, "IntegerValue" if types[answer.field] == "Integer" else "TextValue", str(answer.value))
            for session in self.bundle.sessions:
                if session.participant == person.name:
                    _el(case, "SourceRef", targetGUID=_source_guid(session, session.audio is not None))

    def text_source(self, sources: ET.Element, session: SessionRecord) -> None:
        source_id = _source_guid(session, audio=False)
        text, placed = layout(session)
        self.texts[f"{source_id}.txt"] = text
        source = _el(sources, "TextSource", guid=source_id, name=_display(session),
                     plainTextPath=f"internal://{source_id}.txt", **self.made())  # fmt: skip
        if not session.reviewed:
            _text(source, "Description", UNREVIEWED)
        for n, (start, end, code) in enumerate(_spans(session, text, placed)):
            selection = _el(source, "PlainTextSelection", guid=guid("selection", session.title, str(n)),
                            name=_code_name(self.bundle, code), startPosition=str(start), endPosition=str(end),
                            **self.made())  # fmt: skip
            coding = _el(selection, "Coding", guid=guid("coding", session.title, str(n)), **self.made())
            _el(coding, "CodeRef", targetGUID=code)

    def audio_source(self, sources: ET.Element, session: SessionRecord) -> None:
        audio_id = _source_guid(session, audio=True)
        transcript_id = guid("transcript", session.title)
        text, placed = layout(session)
        self.texts[f"{transcript_id}.txt"] = text
        dated = {**self.made(), "modifiedDateTime": self.stamp}  # QualCoder needs both dates on a Transcript
        source = _el(sources, "AudioSource", guid=audio_id, name=f"{_display(session)}.wav",
                     path=f"internal://{audio_id}.wav", **dated)  # fmt: skip
        if not session.reviewed:
            _text(source, "Description", UNREVIEWED)
        transcript = _el(source, "Transcript", guid=transcript_id, name=f"{_display(session)}.txt",
                         plainTextPath=f"internal://{transcript_id}.txt", **dated)  # fmt: skip
        points = [(0, 0.0), *((position, p.start) for p, position in placed), (len(text), session.duration)]
        ids = {}
        for n, (position, at) in enumerate(points):
            ids[position] = guid("sync", session.title, str(n))
            _el(transcript, "SyncPoint", guid=ids[position], timeStamp=str(round(at * 1000)), position=str(position))
        for n, (start, end, code) in enumerate(_spans(session, text, placed)):
            selection = _el(transcript, "TranscriptSelection", guid=guid("selection", session.title, str(n)),
                            name=_code_name(self.bundle, code), fromSyncPoint=ids[start], toSyncPoint=ids[end],
                            **self.made())  # fmt: skip
            coding = _el(selection, "Coding", guid=guid("coding", session.title, str(n)), **self.made())
            _el(coding, "CodeRef", targetGUID=code)

    def notes(self) -> None:
        """Memos as Notes whose text is an internal file: QualCoder imports those as journal entries."""
        if not self.bundle.memos:
            return
        holder = _el(self.root, "Notes")
        for n, memo in enumerate(self.bundle.memos):
            note_id = guid("note", str(n), memo.title)
            self.texts[f"{note_id}.txt"] = memo.text + "\n"
            _el(holder, "Note", guid=note_id, name=memo.title, plainTextPath=f"internal://{note_id}.txt",
                creatingUser=self.user, creationDateTime=self.stamp)  # fmt: skip


def _display(session: SessionRecord) -> str:
    return session.title + ("" if session.reviewed else " (UNREVIEWED)")


def _source_guid(session: SessionRecord, audio: bool) -> str:
    return guid("audio" if audio else "source", session.participant, session.session)


def _code_name(bundle: Bundle, code: str) -> str:
    names = {guid("code", p.key): p.label for p in bundle.prompts}
    return names.get(code, "Case")


def _spans(session: SessionRecord, text: str, placed: list[tuple[Paragraph, int]]) -> list[tuple[int, int, str]]:
    """(start, end, code GUID): the whole text for the case, and each prompt's stretch to the next prompt."""
    starts = [(position, p.prompt) for p, position in placed if p.prompt is not None]
    spans = [(0, len(text), guid("case", session.participant))]
    for n, (start, prompt) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(text)
        spans.append((start, end, guid("code", prompt.key)))
    return spans


def _copy_audio(archive: zipfile.ZipFile, name: str, audio: Audio) -> None:
    """Header with the real length, then the samples as they are decrypted: never the whole file in memory."""
    header = bytearray(wavstream.header(wavstream.WavFormat(audio.rate, audio.channels)))
    if audio.pcm_bytes + 36 < wavstream.UNKNOWN:  # beyond 4 GiB the length stays "unknown", as when streamed
        struct.pack_into("<I", header, 4, 36 + audio.pcm_bytes)
        struct.pack_into("<I", header, 40, audio.pcm_bytes)
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_STORED
    with archive.open(info, "w", force_zip64=True) as out:
        out.write(header)
        left = audio.pcm_bytes
        for piece in audio.chunks():
            out.write(piece[:left])
            left -= min(left, len(piece))
            if not left:
                break


def write(bundle: Bundle, sink: Sink, now: datetime | None = None) -> None:
    project = _Project(bundle, now or datetime.now(UTC))
    project.codebook()
    project.cases(project.variables())
    sources = _el(project.root, "Sources")
    for session in bundle.sessions:  # with audio, each session whose recording is kept (QA J7: retention took some)
        if session.audio is not None:
            project.audio_source(sources, session)
        else:
            project.text_source(sources, session)
    project.notes()
    with sink.open("project.qdpx") as out, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", ET.tostring(project.root, encoding="utf-8", xml_declaration=True))
        for name, text in project.texts.items():
            archive.writestr(f"sources/{name}", text.encode("utf-8"))
        for session in bundle.sessions:
            if session.audio is not None:
                _copy_audio(archive, f"sources/{_source_guid(session, audio=True)}.wav", session.audio)
