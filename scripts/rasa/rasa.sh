#!/usr/bin/env bash
# Rasa 3.6 beside the bot, never inside its environment (Rasa pins apscheduler<3.10, which
# python-telegram-bot's job queue cannot use): `rasa.sh serve` or `rasa.sh test`.
#   serve: set up .venv-rasa, build var/rasa from config.yml and nlu/data, validate, train
#          (only when the data or pipeline changed), then `rasa run --enable-api` on 127.0.0.1.
#   test:  the same, then the NLU tests (tests/nlu) against that server, then stop it.
# Measured on the 2-core development machine: install ~4 min and 2.7 GB, training ~6.5 min,
# ~22 s until the server answers; `make test-rasa` takes ~11 min with training, ~2.5 min after.
set -euo pipefail
cd "$(dirname "$0")/../.."

ACTION="${1:-serve}"
VENV=.venv-rasa
BUILD=var/rasa
PORT="${RASA_PORT:-5005}"
RASA_VERSION=3.6.21
export RASA_TELEMETRY_ENABLED=false
export SQLALCHEMY_SILENCE_UBER_WARNING=1

say() { printf 'rasa: %s\n' "$*" >&2; }

supported() {
    "$1" -c 'import sys; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)' \
        2>/dev/null
}

find_python() {
    local candidate
    for candidate in "${RASA_PYTHON:-}" python3.10 python3.9 python3.8 \
        "$HOME"/.pyenv/versions/3.10*/bin/python "$HOME"/.pyenv/versions/3.9*/bin/python \
        "$HOME"/.pyenv/versions/3.8*/bin/python; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || [ -x "$candidate" ] || continue
        if supported "$candidate"; then
            command -v "$candidate" 2>/dev/null || echo "$candidate"
            return 0
        fi
    done
    return 1
}

setup() {
    if [ -x "$VENV/bin/rasa" ] && "$VENV/bin/python" -c "import rasa, sys; \
sys.exit(rasa.__version__ != '$RASA_VERSION')" 2>/dev/null; then
        return 0
    fi
    local python
    if ! python="$(find_python)"; then
        say "Rasa $RASA_VERSION needs Python 3.8, 3.9 or 3.10 and none was found."
        say "Install one (for example 'pyenv install 3.10.13') or set RASA_PYTHON=/path/to/python."
        say "The bot itself does not need Rasa: its embedded engine is the default."
        exit 2
    fi
    say "creating $VENV with $python and installing rasa==$RASA_VERSION (a few minutes, 2.7 GB)"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet "rasa==$RASA_VERSION"
}

train() {
    "$VENV/bin/python" scripts/rasa/prepare.py --build "$BUILD"
    local key model
    key="$(cat "$BUILD/config.yml" "$BUILD/domain.yml" "$BUILD"/data/*.yml | sha256sum | cut -c1-16)"
    model="$BUILD/models/preventbot-$key.tar.gz"
    if [ -f "$model" ]; then
        say "model up to date: $model"
    else
        say "validating the training data"
        (cd "$BUILD" && "../../$VENV/bin/rasa" data validate --domain domain.yml --data data \
            --config config.yml --quiet) >&2
        say "training (several minutes on 2 cores)"
        rm -f "$BUILD"/models/preventbot-*.tar.gz
        (cd "$BUILD" && "../../$VENV/bin/rasa" train nlu --config config.yml --nlu data \
            --out models --fixed-model-name "preventbot-$key" --quiet) >&2
    fi
    echo "$model"
}

serve_background() {
    local model="$1" log="$BUILD/server.log"
    (cd "$BUILD" && exec "../../$VENV/bin/rasa" run --enable-api -i 127.0.0.1 -p "$PORT" \
        -m "../../$model" >"../../$log" 2>&1) &
    SERVER_PID=$!
    local waited=0
    until curl -fsS "http://127.0.0.1:$PORT/status" >/dev/null 2>&1; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            say "the server stopped; see $log"
            exit 1
        fi
        if [ "$waited" -ge 180 ]; then
            say "no answer after 180 s; see $log"
            kill "$SERVER_PID"
            exit 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    say "server ready on 127.0.0.1:$PORT after ${waited} s"
}

setup
MODEL="$(train)"
case "$ACTION" in
serve)
    say "serving $MODEL on http://127.0.0.1:$PORT (PREVENTBOT_NLU=rasa RASA_URL=... to use it)"
    cd "$BUILD"
    exec "../../$VENV/bin/rasa" run --enable-api -i 127.0.0.1 -p "$PORT" -m "../../$MODEL"
    ;;
test)
    started=$(date +%s)
    serve_background "$MODEL"
    trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
    status=0
    PREVENTBOT_NLU=rasa RASA_URL="http://127.0.0.1:$PORT" .venv/bin/python -m pytest tests/nlu -q \
        || status=$?
    say "tests against the Rasa server took $(($(date +%s) - started)) s"
    exit "$status"
    ;;
*)
    say "usage: $0 serve|test"
    exit 2
    ;;
esac
