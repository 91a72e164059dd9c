set -x
cd /work/wt/maint-expl
S="nice -n 15 npx tsx src/cli/main.ts sweep examples/dry-spells-plant.yaml --concurrency 1 --catalogue off"
$S --out /tmp/dsp-q10 --set parameters.carbon.q10=1
$S --out /tmp/dsp-day17 --set weather.sunrise_h=3.5 --set weather.sunset_h=20.5
$S --out /tmp/dsp-novpd --set parameters.leaf.d0_kPa=10 --set parameters.leaf.a1=5.85
