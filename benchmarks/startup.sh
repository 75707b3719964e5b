#!/usr/bin/env bash
# The headline figures of issue 11 (item 9) with hyperfine: `upphandla --help`, `generate` with the
# bundled library (warm cache) next to pandoc writing the same three documents, `generate` with the
# 10,000-requirement synthetic library (cold and warm cache), and the imports behind both commands.
#
#     bash benchmarks/startup.sh [PYTHON]    # PYTHON: where upphandla is installed (default: python3)
#
# Needs hyperfine and pandoc (Debian: apt-get install -y hyperfine pandoc). Takes about 3 minutes.
# Compiled modules are cached in the work folder (this machine sets PYTHONDONTWRITEBYTECODE=1) and
# the library cache lives there too, so nothing outside it is touched.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=$(command -v "${1:-python3}")
UPPHANDLA="$(dirname "$PYTHON")/upphandla"
ANSWERS=examples/ekonomiskt-bistand.yaml
DATE=2026-01-15
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export PYTHONPYCACHEPREFIX="$WORK/pycache" UPPHANDLA_CACHE_DIR="$WORK/cache"
unset UPPHANDLA_NO_CACHE PYTHONDONTWRITEBYTECODE

"$PYTHON" benchmarks/synthetic.py "$WORK/libs" 10000 >/dev/null
BIG="$WORK/libs/synthetic-10000"
GENERATE="$UPPHANDLA generate --answers $ANSWERS --format docx --force --date $DATE"

echo "## upphandla --help, next to a bare import typer"
hyperfine -N --warmup 3 --runs 30 --style basic \
    "$PYTHON -c 'import typer'" "$UPPHANDLA --help"

echo "## generate, bundled library, warm cache, next to pandoc writing the same three documents"
$UPPHANDLA generate --answers $ANSWERS --format md --force --date $DATE --out "$WORK/md" >/dev/null
PANDOC="pandoc -f markdown -t docx"
hyperfine --warmup 2 --runs 15 --style basic \
    "$GENERATE --out $WORK/out" \
    "cd $WORK/md && $PANDOC -o k.docx kravbilaga.md && $PANDOC -o s.docx svarsbilaga.md && $PANDOC -o b.docx beslutsunderlag.md"

echo "## generate, 10,000 requirements, cold cache (emptied before each run)"
hyperfine -N --runs 5 --style basic --prepare "rm -rf $WORK/cache" \
    "$GENERATE --library $BIG --out $WORK/out-big"

echo "## generate, 10,000 requirements, warm cache"
hyperfine -N --warmup 1 --runs 5 --style basic "$GENERATE --library $BIG --out $WORK/out-big"

# Imports: python -X importtime, best of 3, the first-level imports over 3 ms by cumulative time.
importtime() {
    for _ in 1 2 3; do "$PYTHON" -X importtime "$@" 2>&1 >/dev/null | grep '^import time:'; done \
        | awk -F'|' '{name=$3; depth=match(name, /[^ ]/); sub(/^ +/, "", name); cum=$2+0;
                      if (depth == 2 && (!(name in best) || cum < best[name])) best[name]=cum}
                     END {for (n in best) if (best[n] >= 3000) printf "%8.1f ms  %s\n", best[n]/1000, n}' \
        | sort -rn
}
echo "## imports: python -X importtime -c 'import upphandla.cli.app' (best of 3, first level, >= 3 ms)"
importtime -c "import upphandla.cli.app"
echo "## imports: python -X importtime upphandla generate (bundled library, warm cache)"
importtime "$UPPHANDLA" generate --answers $ANSWERS --format docx --force --date $DATE --out "$WORK/out"
