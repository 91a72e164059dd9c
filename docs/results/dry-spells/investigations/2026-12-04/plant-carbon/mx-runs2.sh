set -x
cd /work/wt/maint-expl
S="nice -n 15 npx tsx src/cli/main.ts sweep examples/dry-spells-plant.yaml --concurrency 1 --catalogue off"
RHIZO_FW_XYLEM=1 $S --out /tmp/dsp-fwx
RHIZO_FW_XYLEM=1 $S --out /tmp/dsp-fwx-day17 --set weather.sunrise_h=3.5 --set weather.sunset_h=20.5
