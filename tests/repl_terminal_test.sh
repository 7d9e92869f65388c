#!/usr/bin/env bash
# Drives `ironlaw repl` on a real terminal through tmux: tab completion of a
# field, the history (Up), Ctrl-C dropping a half-typed line, Ctrl-D leaving.
set -euo pipefail
binary="$1"
home=$(mktemp -d)
session="ironlaw-test-$$"
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT
tmux new-session -d -s "$session" -x 160 -y 40 "HOME=$home NO_COLOR=1 $binary repl"
screen() { tmux capture-pane -p -t "$session"; }
wait_for() {  # wait until the screen shows $1 (at most 5 s)
  for _ in $(seq 50); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done
  echo "FAILED: never saw: $1"; screen; exit 1
}
wait_for "ironlaw>"
tmux send-keys -t "$session" "H100_SXM.bandwi" Tab
wait_for "H100_SXM.bandwidth"
tmux send-keys -t "$session" Enter
wait_for "3.35 TB/s"
tmux send-keys -t "$session" Up
wait_for "ironlaw> H100_SXM.bandwidth"
tmux send-keys -t "$session" " / 2" Enter
wait_for "1.68 TB/s"
tmux send-keys -t "$session" "decode(Llama3_8B," Enter
wait_for "...>"
tmux send-keys -t "$session" C-c
sleep 0.3
tmux send-keys -t "$session" "1 + 1" Enter
wait_for "2"
tmux send-keys -t "$session" C-d
for _ in $(seq 50); do tmux has-session -t "$session" 2>/dev/null || break; sleep 0.1; done
if tmux has-session -t "$session" 2>/dev/null; then echo "FAILED: Ctrl-D did not leave"; screen; exit 1; fi
test -s "$home/.ironlaw_history" || { echo "FAILED: no history file written"; exit 1; }
grep -qF "H100_SXM.bandwidth" "$home/.ironlaw_history" || { echo "FAILED: history lacks the line"; exit 1; }

# A history file that is a FIFO or /dev/zero is not read (it would block before
# the prompt, or grow without end): the REPL says so and starts.
for hostile in fifo /dev/zero; do
  if [ "$hostile" = fifo ]; then hostile="$home/history.fifo"; mkfifo "$hostile"; fi
  tmux new-session -d -s "$session" -x 160 -y 40 "IRONLAW_HISTORY=$hostile NO_COLOR=1 $binary repl"
  wait_for "history is not kept"
  wait_for "ironlaw>"
  tmux send-keys -t "$session" "1 + 2" Enter
  wait_for "3"
  tmux send-keys -t "$session" C-d
  for _ in $(seq 50); do tmux has-session -t "$session" 2>/dev/null || break; sleep 0.1; done
done
echo "repl terminal test: ok"
