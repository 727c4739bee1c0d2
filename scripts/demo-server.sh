# Sourced by the scripts that run external clients against a live server
# (scripts/conformance/run, scripts/ts-journeys). `start_demo_server DIR
# [VAR=VALUE…]` starts `iurhub serve --demo` on a free port with its data and
# log in DIR, waits until it is ready and sets BASE (its URL) and SERVER_PID;
# `stop_demo_server` ends it. Extra arguments are environment settings.

BIN=${IURHUB_BIN:-${CARGO_TARGET_DIR:-target}/debug/iurhub}
SERVER_PID=

start_demo_server() {
    local dir=$1 port
    shift
    if [ ! -x "$BIN" ]; then cargo build --quiet --bin iurhub; fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    BASE="http://127.0.0.1:$port"
    env -u IURHUB_DATABASE_URL IURHUB_LISTEN="127.0.0.1:$port" IURHUB_DATA_DIR="$dir/data" \
        "$@" RUST_LOG=warn "$BIN" serve --demo >"$dir/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 300); do
        if curl -fsS "$BASE/readyz" >/dev/null 2>&1; then return 0; fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$dir/server.log" >&2; return 1; fi
        sleep 0.2
    done
    curl -fsS "$BASE/readyz" >/dev/null
}

stop_demo_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}
