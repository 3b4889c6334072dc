#!/usr/bin/env bash
# Restores, builds and runs every test project; ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

# PostgreSQL: the store and API tests start a private server (see tests/Shared/PostgresServer.cs).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing Debian's postgresql..."
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || { echo "could not install postgresql"; echo "0 passed, 1 failed"; exit 1; }
  else
    echo "postgresql is missing and this user cannot install it"; echo "0 passed, 1 failed"; exit 1
  fi
fi

# Chromium: the compliance UI's browser tests (tests/Ledger.Ui.Tests) drive Debian's chromium through Playwright.
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium..."
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || { echo "could not install chromium"; echo "0 passed, 1 failed"; exit 1; }
  else
    echo "chromium is missing and this user cannot install it"; echo "0 passed, 1 failed"; exit 1
  fi
fi

# Node and npm: the OpenAPI document is linted with Redocly's CLI (tests/Ledger.Api.Tests/Docs/OpenApiLintTests.cs),
# pinned in tests/tools/redocly/package-lock.json and installed there from the npm registry.
if ! command -v npm >/dev/null 2>&1; then
  echo "installing Debian's nodejs and npm..."
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null) \
      || { echo "could not install nodejs and npm"; echo "0 passed, 1 failed"; exit 1; }
  else
    echo "npm is missing and this user cannot install it"; echo "0 passed, 1 failed"; exit 1
  fi
fi
if [ ! -f tests/tools/redocly/node_modules/@redocly/cli/bin/cli.js ]; then
  echo "installing the OpenAPI lint CLI..."
  (cd tests/tools/redocly && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || { echo "could not install @redocly/cli (tests/tools/redocly)"; echo "0 passed, 1 failed"; exit 1; }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

build_log="$results/build.log"
if ! dotnet build Ledger.sln -c Release >"$build_log" 2>&1; then
  grep -E 'error|Error' "$build_log" | sort -u | head -n 50
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi
grep -E '^\s*[0-9]+ Warning\(s\)' "$build_log" | tail -n 1

status=0
# Only projects named *.Tests are test projects (tests/ also holds helper programs).
for proj in tests/*.Tests/*.csproj; do
  name=$(basename "$proj" .csproj)
  echo "=== $name"
  dotnet test "$proj" -c Release --no-build \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --logger "console;verbosity=minimal" || status=1
done

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  p=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'passed="[0-9]*"' | grep -o '[0-9]*')
  f=$(grep -o '<Counters [^>]*' "$trx" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
expected=$(ls tests/*.Tests/*.csproj | wc -l); got=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$got" -lt "$expected" ]; then
  echo "only $got of $expected test projects reported results"; failed=$((failed + expected - got))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
