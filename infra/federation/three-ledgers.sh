#!/usr/bin/env bash
# Three ledgers on one machine, each the witness of the other two (docs/FEDERATION.md).
# Usage: infra/federation/three-ledgers.sh [WORKDIR]   (Ctrl-C stops them)
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${1:-$(mktemp -d -t ledger-federation-XXXX)}"; mkdir -p "$work"
names=(a b c); ports=(5181 5182 5183); pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
dotnet build Ledger.Api -c Release -v q >/dev/null
api=(dotnet Ledger.Api/bin/Release/net10.0/Ledger.Api.dll)

start() { # i, more args...
  local i=$1; shift
  "${api[@]}" --data-dir "$work/${names[$i]}" --urls "http://127.0.0.1:${ports[$i]}" \
    --Ledger:Origin "${names[$i]}.example/ledger" --Ledger:CheckpointInterval 00:00:01 "$@" \
    >"$work/${names[$i]}.log" 2>&1 &
  pids[$i]=$!
}
wait_up() { for _ in $(seq 100); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null && return; sleep 0.2; done; echo "no answer on $1" >&2; exit 1; }

# 1. First start: each ledger creates its log key and witness key; read them.
declare -A logkey wkey
for i in 0 1 2; do start "$i"; done
for i in 0 1 2; do
  wait_up "${ports[$i]}"
  logkey[$i]=$(curl -fs "http://127.0.0.1:${ports[$i]}/v1/log/key")
  wkey[$i]=$(curl -fs "http://127.0.0.1:${ports[$i]}/witness/key")
done
kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true

# 2. Each ledger's policy: its own log key, the other two as witnesses with their URLs, quorum: both.
for i in 0 1 2; do
  {
    echo "log ${logkey[$i]}"
    others=()
    for j in 0 1 2; do
      [ "$j" = "$i" ] && continue
      echo "witness ${names[$j]} ${wkey[$j]} http://127.0.0.1:${ports[$j]}/witness"
      others+=("${names[$j]}")
    done
    echo "group peers all ${others[*]}"
    echo "quorum peers"
  } >"$work/${names[$i]}.policy"
done

# 3. Restart: each witnesses the other two logs and submits to them.
for i in 0 1 2; do
  args=(--Ledger:WitnessPolicy "$work/${names[$i]}.policy"); k=0
  for j in 0 1 2; do
    [ "$j" = "$i" ] && continue
    args+=("--Ledger:Witness:Logs:$k:Origin" "${names[$j]}.example/ledger" "--Ledger:Witness:Logs:$k:Keys:0" "${logkey[$j]}"); k=$((k + 1))
  done
  start "$i" "${args[@]}"
done
for i in 0 1 2; do wait_up "${ports[$i]}"; done

# 4. Wait until every checkpoint carries two cosignatures (three signature lines).
for i in 0 1 2; do
  for _ in $(seq 150); do
    n=$(curl -fs "http://127.0.0.1:${ports[$i]}/v1/log/checkpoint" | grep -c '^— ' || true)
    [ "$n" -ge 3 ] && break; sleep 0.2
  done
  [ "$n" -ge 3 ] || { echo "${names[$i]}: checkpoint has $n signatures" >&2; exit 1; }
  echo "== ${names[$i]} (http://127.0.0.1:${ports[$i]}) =="; curl -fs "http://127.0.0.1:${ports[$i]}/v1/log/checkpoint"
done
echo "three ledgers cosigning each other; data in $work; Ctrl-C stops them"
wait
