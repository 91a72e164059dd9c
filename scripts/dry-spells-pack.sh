#!/usr/bin/env bash
# Pack / unpack the runs of a dry-spells matrix (examples/dry-spells.yaml) so that `analyse dry-spells`
# can be re-run without the runs, and an unfinished matrix can be continued on another machine.
#   scripts/dry-spells-pack.sh pack <sweep dir> <dest dir>
#     every finished task → <dest>/<weather>-<set>.tar.xz (the files `analyse dry-spells` reads: summary.json,
#     resolved-scenario.json, task.json, columns.csv, timeseries.csv, pools.csv, soil/*.csv, .rhizocarb-result.json;
#     plots, VTK, Parquet copies and timings left out), every unfinished task's newest checkpoint →
#     <dest>/in-progress-<weather>-<set>.tar.xz, and sweep.json. <dest> must be new, empty or a previous pack
#     (marker file .rhizocarb-dry-spells-pack): a folder of the user's is never written into.
#   scripts/dry-spells-pack.sh unpack <dest dir> <sweep dir>
#     the reverse: a folder `rhizocarb run examples/dry-spells.yaml --resume <sweep dir>` continues
#     (on the same package version and scenario: the task hashes must match) and `analyse dry-spells` reads.
set -euo pipefail
cmd=${1:?pack|unpack}; src=${2:?}; dst=${3:?}
name_of() { # weather-set of a task hash, from the sweep's record (finished and unfinished tasks alike)
  python3 - "$src/sweep.json" "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); h = sys.argv[2]
o = next((t.get('overrides', {}) for t in s.get('tasks', []) if t.get('hash') == h), None)
print(f"{o.get('weather.regime')}-{o.get('parameterSet')}" if o else h)
PY
}
MARKER=.rhizocarb-dry-spells-pack
case "$cmd" in
pack)
  # Only into a new or empty folder, or a previous pack (its marker): never over a folder of the user's.
  if [ -e "$dst" ] && [ -n "$(ls -A "$dst")" ] && [ ! -f "$dst/$MARKER" ]; then echo "error: $dst is not empty and not a previous pack (no $MARKER)" >&2; exit 2; fi
  mkdir -p "$dst"; touch "$dst/$MARKER"; cp "$src/sweep.json" "$dst/sweep.json"
  for t in "$src"/tasks/*/; do
    t=${t%/}; h=$(basename "$t"); [ -f "$t/summary.json" ] || continue
    n=$(name_of "$h"); echo "done: $n ($h)"
    tar -C "$src" -cJf "$dst/$n.tar.xz.tmp" --exclude=vtk --exclude=plots --exclude='*.parquet' --exclude=timings.csv "tasks/$h"
    mv "$dst/$n.tar.xz.tmp" "$dst/$n.tar.xz"; rm -f "$dst/in-progress-$n.tar.xz"
  done
  if [ -d "$src/tasks/.checkpoints" ]; then
    for c in "$src"/tasks/.checkpoints/*/; do
      c=${c%/}; h=$(basename "$c")
      newest=$(ls "$c" | grep -E '^[0-9]{9}-' | sort | tail -1 || true); [ -n "$newest" ] || continue
      tmp=$(mktemp -d); mkdir -p "$tmp/tasks/.checkpoints/$h"; cp -a "$c/$newest" "$tmp/tasks/.checkpoints/$h/"
      n=$(name_of "$h")
      echo "in progress: $n ($h) at $newest"
      tar -C "$tmp" -cJf "$dst/in-progress-$n.tar.xz.tmp" tasks; mv "$dst/in-progress-$n.tar.xz.tmp" "$dst/in-progress-$n.tar.xz"; rm -rf "$tmp"
    done
  fi ;;
unpack)
  [ ! -e "$dst" ] || [ -z "$(ls -A "$dst")" ] || { echo "error: $dst exists and is not empty" >&2; exit 2; }
  mkdir -p "$dst"; cp "$src/sweep.json" "$dst/sweep.json"
  for f in "$src"/*.tar.xz; do tar -C "$dst" -xJf "$f"; echo "unpacked $(basename "$f")"; done ;;
*) echo "usage: $0 pack <sweep dir> <dest> | unpack <dest> <sweep dir>" >&2; exit 2 ;;
esac
