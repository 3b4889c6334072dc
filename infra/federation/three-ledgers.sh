#!/usr/bin/env bash
# Three ledgers on one machine, aws, azure and gcp, each the witness and the peer of the other two (docs/FEDERATION.md).
#
#   infra/federation/three-ledgers.sh start [WORKDIR]         start all three in the background (set up on the first run)
#   infra/federation/three-ledgers.sh start WORKDIR NAME...   start the named ones again, as configured
#   infra/federation/three-ledgers.sh stop WORKDIR [NAME...]  stop all three, or the named ones
#
# WORKDIR (default: a new temporary directory) keeps each ledger's data (WORKDIR/<name>/), log (WORKDIR/<name>.log),
# process id (WORKDIR/<name>.pid) and witness policy (WORKDIR/<name>.policy), and WORKDIR/env: the ledgers' URLs,
# admin tokens and dev emitter tokens as shell variables (AWS, AWS_ADMIN, AWS_DEV, ...). WORKDIR/env is written when
# every ledger started answers and its checkpoints meet its witness quorum: it is the ready marker.
#
# Environment: LEDGER_FEDERATION_PORTS (default "5181 5182 5183") the ports of aws, azure and gcp on 127.0.0.1, read on
# the first run only; LEDGER_FEDERATION_NO_BUILD=1 uses the Release build already there instead of building Ledger.Api
# and Ledger.Verifier.
set -euo pipefail
cd "$(dirname "$0")/../.."
names=(aws azure gcp)
api=(dotnet Ledger.Api/bin/Release/net10.0/Ledger.Api.dll)

usage() { sed -n '4,6p' "$0" | sed 's/^# *//' >&2; exit 2; }
fail() { echo "three-ledgers: $*" >&2; exit 1; }
index_of() { for i in 0 1 2; do [ "${names[$i]}" = "$1" ] && { echo "$i"; return; }; done; fail "no ledger named '$1' (aws, azure or gcp)"; }
alive() { [ -f "$work/$1.pid" ] && kill -0 "$(cat "$work/$1.pid")" 2>/dev/null; }

launch() { # NAME ARGS...: starts one ledger in the background, its output appended to WORKDIR/NAME.log
  local name=$1; shift
  alive "$name" && fail "$name is already running (pid $(cat "$work/$name.pid"))"
  nohup "${api[@]}" --data-dir "$work/$name" --urls "http://127.0.0.1:${ports[$(index_of "$name")]}" \
    --Ledger:Origin "$name.example/ledger" --Ledger:CheckpointInterval 00:00:01 "$@" </dev/null >>"$work/$name.log" 2>&1 &
  echo $! >"$work/$name.pid"
}

wait_up() { # NAME: until it answers /healthz (at most 90 s)
  local port=${ports[$(index_of "$1")]}
  for _ in $(seq 450); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && return
    alive "$1" || fail "$1 stopped before it answered; see $work/$1.log"
    sleep 0.2
  done
  fail "$1 does not answer on port $port; see $work/$1.log"
}

halt() { # NAME...: SIGTERM to each, then waits for them to exit (SIGKILL after 30 s)
  local name pid pids=()
  for name in "$@"; do
    if alive "$name"; then pid=$(cat "$work/$name.pid"); kill -TERM "$pid"; pids+=("$pid"); fi
  done
  for _ in $(seq 150); do
    local left=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ "$left" = 0 ] && break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi; done
  for name in "$@"; do rm -f "$work/$name.pid"; done
}

setup() { # first run: each ledger creates its keys and tokens; the policies are written from its keys
  local i j others
  for i in 0 1 2; do launch "${names[$i]}"; done
  for i in 0 1 2; do
    local name=${names[$i]} url="http://127.0.0.1:${ports[$i]}"
    wait_up "$name"
    curl -fsS "$url/v1/log/key" >"$work/$name.vkey"
    curl -fsS "$url/witness/key" >"$work/$name.witness.vkey"
    sed -n 's/.*Admin token (shown only now, stored hashed): \(glt_[A-Za-z0-9_-]*\).*/\1/p' "$work/$name.log" | head -n 1 >"$work/$name.admin"
    [ -s "$work/$name.admin" ] || fail "$name printed no admin token; see $work/$name.log"
    sed -n 's/.*"token": *"\([^"]*\)".*/\1/p' "$work/$name/dev-credentials.json" >"$work/$name.dev"
  done
  halt "${names[@]}"

  # Each ledger's C2SP tlog-policy: its log key, the other two as witnesses (with the URL it submits to), and a quorum
  # of either one, so that one ledger stopped does not stop the other two from proving their logs.
  for i in 0 1 2; do
    others=()
    {
      echo "log $(cat "$work/${names[$i]}.vkey")"
      for j in 0 1 2; do
        [ "$j" = "$i" ] && continue
        echo "witness ${names[$j]} $(cat "$work/${names[$j]}.witness.vkey") http://127.0.0.1:${ports[$j]}/witness"
        others+=("${names[$j]}")
      done
      echo "group peers any ${others[*]}"
      echo "quorum peers"
    } >"$work/${names[$i]}.policy"
  done
  echo "${ports[*]}" >"$work/ports"
}

configured() { # NAME: starts it as a witness and a peer of the other two
  local i j k=0 name=$1 args
  i=$(index_of "$name")
  args=(--Ledger:WitnessPolicy "$work/$name.policy" --Ledger:FollowInterval 00:00:01)
  for j in 0 1 2; do
    [ "$j" = "$i" ] && continue
    local peer=${names[$j]}
    args+=(--Ledger:Witness:Logs:$k:Origin "$peer.example/ledger" --Ledger:Witness:Logs:$k:Keys:0 "$(cat "$work/$peer.vkey")"
      --Ledger:Peers:$k:Origin "$peer.example/ledger" --Ledger:Peers:$k:Key "$(cat "$work/$peer.vkey")"
      --Ledger:Peers:$k:Url "http://127.0.0.1:${ports[$j]}" --Ledger:Peers:$k:Policy "$work/$peer.policy"
      --Ledger:Peers:$k:HomeDomains:0 "$peer.example")
    k=$((k + 1))
  done
  launch "$name" "${args[@]}"
}

wait_cosigned() { # NAME: until its latest checkpoint carries at least one cosignature (its quorum), at most 60 s
  local url="http://127.0.0.1:${ports[$(index_of "$1")]}" n=0
  for _ in $(seq 300); do
    n=$(curl -fs "$url/v1/log/checkpoint" | grep -c '^— ' || true)
    [ "$n" -ge 2 ] && return
    sleep 0.2
  done
  fail "$1: its checkpoint carries $n signature(s), not its own and a witness's; see $work/$1.log"
}

write_env() {
  local i name upper
  {
    echo "FED=$work"
    for i in 0 1 2; do
      name=${names[$i]}; upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')
      echo "$upper=http://127.0.0.1:${ports[$i]}"
      echo "${upper}_ADMIN=$(cat "$work/$name.admin")"
      echo "${upper}_DEV=$(cat "$work/$name.dev")"
    done
  } >"$work/env.tmp"
  mv "$work/env.tmp" "$work/env"
}

command=${1:-}; [ $# -gt 0 ] && shift
case $command in
  start)
    work=${1:-$(mktemp -d -t ledger-federation-XXXX)}; [ $# -gt 0 ] && shift
    mkdir -p "$work"; work=$(cd "$work" && pwd)
    if [ -f "$work/ports" ]; then read -r -a ports <"$work/ports"; else read -r -a ports <<<"${LEDGER_FEDERATION_PORTS:-5181 5182 5183}"; fi
    [ "${#ports[@]}" = 3 ] || fail "LEDGER_FEDERATION_PORTS must hold three ports, not '${ports[*]}'"
    which=("$@"); [ ${#which[@]} -gt 0 ] || which=("${names[@]}")
    for name in "${which[@]}"; do index_of "$name" >/dev/null; done
    if [ "${LEDGER_FEDERATION_NO_BUILD:-}" != 1 ]; then
      echo "building Ledger.Api and Ledger.Verifier..."
      dotnet build Ledger.Api -c Release -v q -nologo >/dev/null || fail "Ledger.Api does not build"
      dotnet build Ledger.Verifier -c Release -v q -nologo >/dev/null || fail "Ledger.Verifier does not build"
    fi
    [ -f "$work/ports" ] || { echo "first run: creating the three ledgers' keys and policies in $work..."; setup; }
    rm -f "$work/env"
    for name in "${which[@]}"; do configured "$name"; done
    for name in "${which[@]}"; do wait_up "$name"; done
    for name in "${which[@]}"; do wait_cosigned "$name"; done
    write_env
    for i in 0 1 2; do
      name=${names[$i]}
      if alive "$name"; then state="running, pid $(cat "$work/$name.pid")"; else state="stopped"; fi
      printf '%-6s http://127.0.0.1:%s  origin %s  %s\n' "$name" "${ports[$i]}" "$name.example/ledger" "$state"
    done
    echo "data in $work/<name>/, logs in $work/<name>.log, URLs and tokens in $work/env (. $work/env)"
    echo "stop them with: $0 stop $work"
    ;;
  stop)
    [ $# -ge 1 ] || usage
    work=$1; shift
    [ -d "$work" ] || fail "no directory $work"
    which=("$@"); [ ${#which[@]} -gt 0 ] || which=("${names[@]}")
    for name in "${which[@]}"; do index_of "$name" >/dev/null; done
    halt "${which[@]}"
    for name in "${which[@]}"; do echo "$name stopped"; done
    ;;
  *) usage ;;
esac
