#!/usr/bin/env bash
# Regenerate the committed screenshots (docs/screenshots/), headless, through the real game.
# Usage: tools/screenshots.sh          (needs the venv: ./test.sh or ./play.sh sets it up)
set -euo pipefail
cd "$(dirname "$0")/.."
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy PYGAME_HIDE_SUPPORT_PROMPT=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GLASSBOX_DATA_DIR="$tmp/data"
G=.venv/bin/glassbox
S=docs/screenshots

settings() {  # settings() NAME JSON: a config dir holding these settings
  mkdir -p "$tmp/$1"
  printf '{"version": 1, %s}\n' "$2" > "$tmp/$1/settings.json"
  echo "$tmp/$1"
}

# the sandbox at every size (issue 3: laid out for each size)
mkdir -p "$S/sandbox"
for size in 1280x720 1920x1080 3840x2160; do
  GLASSBOX_CONFIG_DIR=$(settings plain '"theme": "dark"') \
    $G sandbox --headless --frames 90 --resolution "$size" --script tools/shots/sandbox-xor.script \
    --screenshot "$S/sandbox/xor-backward-$size.png"
done

# lecture mode: both variants at 1080p and 4K, then the accessibility variants
mkdir -p "$S/lecture"
for variant in lecture-light lecture-dark; do
  for size in 1920x1080 3840x2160; do
    GLASSBOX_CONFIG_DIR=$(settings "$variant" "\"lecture_theme\": \"$variant\"") \
      $G lecture lectures/backprop-story.toml --headless --frames 30 --resolution "$size" \
      --script tools/shots/lecture-chain.script --screenshot "$S/lecture/$variant-$size.png"
  done
done
lecture() {  # lecture() NAME SETTINGS SCRIPT
  GLASSBOX_CONFIG_DIR=$(settings "$1" "$2") $G lecture lectures/backprop-story.toml --headless --frames 30 \
    --resolution 1920x1080 --script "$3" --screenshot "$S/lecture/$1-1920x1080.png"
}
lecture spotlight '"lecture_theme": "lecture-light"' tools/shots/lecture-spotlight.script
lecture black-screen '"lecture_theme": "lecture-light"' tools/shots/lecture-blank.script
lecture colour-blind '"lecture_theme": "lecture-light", "colour_blind": true' tools/shots/lecture-chain.script
lecture text-scale-200 '"lecture_theme": "lecture-light", "text_scale": 2.0' tools/shots/lecture-chain.script
lecture reduced-motion '"lecture_theme": "lecture-light", "reduced_motion": true' tools/shots/lecture-chain.script
# the presenter view: both windows at 1080p (PATH and PATH-presenter), the presenter at a laptop's 1280x800
presenter() {  # presenter() SIZE OUT
  GLASSBOX_CONFIG_DIR=$(settings presenter '"lecture_theme": "lecture-light"') $G lecture lectures/backprop-story.toml \
    --presenter --presenter-resolution "$1" --headless --frames 30 --resolution 1920x1080 \
    --script tools/shots/lecture-presenter.script --screenshot "$2"
}
presenter 1920x1080 "$S/lecture/hall-1920x1080.png"
presenter 1280x800 "$tmp/laptop.png" && mv "$tmp/laptop-presenter.png" "$S/lecture/presenter-1280x800.png"

# one step's four phases (press → once, twice, … and catch the packets on their way), side by side,
# and a lecture beat while it animates (issue 11: every panel shows the same step)
mkdir -p "$S/phases"
names=(ready forward loss backward update)
for n in 1 2 3 4; do
  GLASSBOX_CONFIG_DIR=$(settings plain '"theme": "dark"') \
    $G sandbox --headless --frames $((n * 6 + 22)) --resolution 1920x1080 --script "tools/shots/phase-$n.script" \
    --screenshot "$S/phases/$n-${names[$n]}-1920x1080.png"
done
.venv/bin/python tools/compose.py "$S/phases/four-phases-1920x1080.png" 2 "$S"/phases/[1-4]-*-1920x1080.png
GLASSBOX_CONFIG_DIR=$(settings mid '"lecture_theme": "lecture-light"') \
  $G lecture lectures/backprop-story.toml --headless --frames 100 --resolution 1920x1080 \
  --script tools/shots/lecture-mid-beat.script --screenshot "$S/phases/lecture-mid-beat-1920x1080.png"

# a worksheet's first exercise page and its answer key (needs pdftoppm: apt-get install poppler-utils)
if command -v pdftoppm >/dev/null; then
  mkdir -p "$S/worksheet"
  $G worksheet 13 --out "$tmp/sheet.pdf" >/dev/null
  pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$tmp/sheet.pdf" "$S/worksheet/level-13-exercise"
  pdftoppm -r 60 -png -f 3 -l 3 -singlefile "$tmp/sheet.pdf" "$S/worksheet/level-13-answer-key"
fi

# levels: select, briefing, goals in play, and the sandbox's full control set
mkdir -p "$S/levels"
export GLASSBOX_CONFIG_DIR=$(settings levels '"theme": "dark"')
$G --headless --frames 30 --resolution 1920x1080 --script tools/level_shots/select.script \
  --screenshot "$S/levels/level-select-1920x1080.png"
$G play 05 --headless --frames 10 --resolution 1920x1080 --screenshot "$S/levels/briefing-1920x1080.png"
$G play 05 --headless --frames 60 --resolution 1920x1080 --script tools/level_shots/play05.script \
  --screenshot "$S/levels/goals-in-play-1920x1080.png"
$G sandbox --headless --frames 30 --resolution 1920x1080 --script tools/level_shots/sandbox.script \
  --screenshot "$S/levels/sandbox-1920x1080.png"
$G sandbox --headless --frames 40 --resolution 1920x1080 --script tools/level_shots/truth-table-editor.script \
  --screenshot "$S/levels/truth-table-editor-1920x1080.png"

# teaching it right (issue 12): the cross-entropy card, levels 1, 4 and 10, the scenario picker, the
# plateau notice, the sandbox's opening run, lecture beats 4–6, 10 and 11
T=tools/shots/teach
mkdir -p "$S/issue12"
for size in 1280x720 1920x1080; do
  $G sandbox --headless --frames 60 --resolution "$size" --script $T/ce-card.script --screenshot "$S/issue12/ce-card-$size.png"
  $G play 04 --headless --frames 60 --resolution "$size" --script $T/level4.script --screenshot "$S/issue12/level4-$size.png"
  $G play 10 --headless --frames 60 --resolution "$size" --script $T/level10.script --screenshot "$S/issue12/level10-$size.png"
  $G sandbox --headless --frames 60 --resolution "$size" --script $T/plateau.script --screenshot "$S/issue12/plateau-$size.png"
done
$G sandbox --headless --frames 60 --resolution 3840x2160 --script $T/ce-card.script --screenshot "$S/issue12/ce-card-3840x2160.png"
$G play 11 --headless --frames 90 --resolution 1920x1080 --script $T/level11-halt.script \
  --screenshot "$S/issue12/level11-halt-1920x1080.png"
$G play 01 --headless --frames 40 --resolution 1920x1080 --script $T/level1-asked.script \
  --screenshot "$S/issue12/level1-asked-1920x1080.png"
for size in 1280x720 1920x1080 3840x2160; do
  $G sandbox --headless --frames 40 --resolution "$size" --script $T/scenario-picker.script \
    --screenshot "$S/issue12/scenario-picker-$size.png"
  $G sandbox --headless --frames 40 --resolution "$size" --screenshot "$S/issue12/sandbox-open-$size.png"
done
for b in 4 5 6 10 11; do
  GLASSBOX_CONFIG_DIR=$(settings teach-lecture '"lecture_theme": "lecture-light"') $G lecture lectures/backprop-story.toml \
    --headless --frames 90 --resolution 1920x1080 --script $T/lecture-beat$b.script \
    --screenshot "$S/issue12/lecture-beat$b-1920x1080.png"
done

# issue 15: the spiral mid-training with every neuron's heat map, and the architecture editor
# (a layer added with +, two neurons removed with −, the pointer over h²₃: its heat map large)
for size in 1280x720 1920x1080 3840x2160; do
  $G sandbox --headless --frames 150 --resolution "$size" --script tools/shots/playground-spiral.script \
    --screenshot "$S/playground/spiral-$size.png"
  $G sandbox --headless --frames 150 --resolution "$size" --script tools/shots/playground-editor.script \
    --screenshot "$S/playground/editor-$size.png"
done
# issue 15: test points (squares) and the training / test accuracy on a featured, mini-batched, L2 run;
# the data-set dialog (features being switched on, a point count typed)
for size in 1280x720 1920x1080 3840x2160; do
  GLASSBOX_CONFIG_DIR=$(settings plain '"theme": "dark"') \
    $G sandbox --headless --frames 170 --resolution "$size" --script tools/shots/playground-test-points.script \
    --screenshot "$S/playground/test-points-accuracy-$size.png"
  GLASSBOX_CONFIG_DIR=$(settings plain '"theme": "dark"') \
    $G sandbox --headless --frames 60 --resolution "$size" --script tools/shots/playground-data-dialog.script \
    --screenshot "$S/playground/data-dialog-$size.png"
done

# issue 15, levels 14–18: level 14 mid-run with both loss curves, and the level select with all 18
mkdir -p "$S/levels"
for size in 1280x720 1920x1080 3840x2160; do
  $G play 14 --headless --frames 60 --resolution "$size" --script tools/shots/level14-overfitting.script \
    --screenshot "$S/levels/14-learning-the-noise-$size.png"
  $G --headless --frames 30 --resolution "$size" --script tools/level_shots/select.script \
    --screenshot "$S/levels/level-select-18-$size.png"
done

# the components on their own (each tool documents its scenarios)
.venv/bin/python tools/render_component.py --shots network
.venv/bin/python tools/render_panels.py
.venv/bin/python tools/render_charts.py
echo "screenshots written under $S/"
