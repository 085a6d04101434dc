#!/usr/bin/env bash
# A first tour of Accord on the command line: two ministries, a chair and two delegates,
# each a node in its own folder, talking and negotiating through a real relay.
# Run it from the repository with a relay running (`make run` or `make relay`):
#     bash docs/tour.sh
# ACCORD_RELAY names another relay; ACCORD_CLI another `accord` command.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
# The accord command: this checkout's, or ACCORD_CLI (e.g. "python -m accord").
accord() { ${ACCORD_CLI:-$REPO/.venv/bin/accord} "$@"; }
R=${ACCORD_RELAY:-http://127.0.0.1:8470}    # the relay
C=tour-$(date -u +%Y%m%d-%H%M%S)            # a new conference id on each run
# Every node reads its keystore passphrase here (else it asks for it).
export ACCORD_PASSPHRASE=${ACCORD_PASSPHRASE:-"tour passphrase, not for real keys"}
# Every node in a fresh folder: data/ of `make run` is left alone.
cd "$(mktemp -d "${TMPDIR:-/tmp}/accord-tour.XXXXXX")"
echo "== the tour's nodes and files are in $PWD"

step() { echo; echo "== $*"; }
# A step that must be refused: the tour stops if it is accepted.
expect_refusal() {
  if "$@"; then echo "UNEXPECTED: this should have been refused: $*" >&2; exit 1; fi
  echo "(refused, as expected)"
}

step "The ministries of Arcadia and Borduria create their state root keys"
# --quiet prints the key alone; without it, the fingerprint to publish out of band too.
accord init --home arc-mfa && ARC_ROOT=$(accord root create ARC --quiet --home arc-mfa)
accord init --home bor-mfa && BOR_ROOT=$(accord root create BOR --quiet --home bor-mfa)
accord fingerprint "$ARC_ROOT"    # what Arcadia publishes, for others to compare

step "The chair opens the conference; the genesis names the accredited roots"
accord init --home chair && accord identity create --home chair
GENESIS=$(accord conference create --quiet --relay "$R" --conf "$C" --title "Tour" \
  --chair-name "Ambassador Moreau" --state "ARC:Republic of Arcadia:$ARC_ROOT" \
  --state "BOR:Kingdom of Borduria:$BOR_ROOT" --home chair)
echo "genesis hash, sent to every delegation: $GENESIS"

step "Each delegate creates an identity; its ministry issues full powers to that key"
# Ana may negotiate, adopt (vote) and sign; Boris may negotiate and adopt.
accord init --home ana && ANA_KEY=$(accord identity create --quiet --home ana)
accord powers issue --state ARC --delegate "Ana Reyes" --key "$ANA_KEY" \
  --power negotiate --power adopt --power sign --conference "$C" --out ana.json \
  --home arc-mfa
accord join --relay "$R" --conf "$C" --credential ana.json --genesis "$GENESIS" --home ana
accord init --home boris && BORIS_KEY=$(accord identity create --quiet --home boris)
BORIS_POWERS=$(accord powers issue --quiet --state BOR --delegate "Boris Vlk" \
  --key "$BORIS_KEY" --power negotiate --power adopt --conference "$C" --out boris.json \
  --home bor-mfa)
accord join --relay "$R" --conf "$C" --credential boris.json --genesis "$GENESIS" \
  --home boris

step "Talk"
# Each post syncs and verifies the log first, keys a new epoch of the channel if one is
# due (the first message, a member or device added or removed), then encrypts, signs and
# submits. The relay stores ciphertext only.
accord post --conf "$C" "The meeting is open." --home chair
accord post --conf "$C" "Arcadia greets Borduria." --home ana
accord sync --home boris && accord messages --conf "$C" --home boris
accord status --home boris                  # conferences, entries verified, alerts
accord device list --conf "$C" --home ana   # every delegate's devices, in the record

step "Ana and Boris compare safety numbers by telephone; Ana marks Boris verified"
# A later change of Boris's key raises an alert on Ana's node.
NUMBER=$(accord safety-number --quiet --conf "$C" --state BOR --delegate "Boris Vlk" \
  --home ana)
accord safety-number --conf "$C" --state ARC --delegate "Ana Reyes" --home boris  # same
accord contact verify --conf "$C" --state BOR --delegate "Boris Vlk" --number "$NUMBER" \
  --home ana

step "A private channel: bilateral, or a group (late joiners read all, or from joining)"
accord channel open --conf "$C" --id arc-bor --kind bilateral --member ARC --member BOR \
  --home ana
accord post --conf "$C" --channel arc-bor "Between us." --home ana

step "The chair tables a draft: numbered paragraphs, unagreed words in [brackets]"
# A typed text, as a secretariat types it; a Word draft (.docx) is tabled the same way
# (try `text table --preview` first), a JSON version too (docs/protocol.md section 12).
cat > draft.txt <<'EOF'
Arrangement on Points of Contact
PP1. Recalling the voluntary norms of responsible State behaviour,
1. Each participating State [shall][should] designate a point of contact for incidents.
2. A requested State shall acknowledge a request for assistance.
EOF
accord text table --conf "$C" --text poc draft.txt --home chair

step "Ana proposes an amendment; Boris supports it; everyone reads the compiled text"
PROPOSAL=$(accord text amend --conf "$C" --text poc --paragraph op2 --op insert_words \
  --old "a request for assistance" --new " within 72 hours" --home ana \
  | sed -n 's/^proposal made: .*, id \(sha256:[A-Za-z0-9_-]*\)$/\1/p')
echo "Ana's proposal: ${PROPOSAL:?no proposal id in what text amend printed}"
accord text support --conf "$C" "$PROPOSAL" --home boris
accord text show --conf "$C" --text poc --home boris   # brackets, alternatives, who
accord text export --conf "$C" --text poc --out compiled.docx --home boris   # Word

step "The chair issues a clean version 2, incorporating Ana's proposal"
cat > poc-v2.json <<'EOF'
{"text": "poc", "version": 2, "title": "Arrangement on Points of Contact", "paragraphs": [
 {"id": "pp1", "kind": "preambular", "number": "PP1", "segments": [
   "Recalling the voluntary norms of responsible State behaviour,"]},
 {"id": "op1", "kind": "operative", "number": "1", "segments": [
   "Each participating State should designate a point of contact for incidents."]},
 {"id": "op2", "kind": "operative", "number": "2", "segments": [
   "A requested State shall acknowledge a request for assistance within 72 hours."]}
]}
EOF
accord text revise --conf "$C" poc-v2.json --incorporate "$PROPOSAL" --home chair
accord sync --home ana   # text diff reads Ana's copy of the record: bring it up to date
accord text diff --conf "$C" --text poc --from 1 --to 2 --home ana

step "The chair puts version 2 under silence for four days; Borduria breaks it"
# The rules make a silence last at least 72 hours; the deadline is read in --time-zone.
DEADLINE=$(date -u -d '+4 days' '+%Y-%m-%d %H:%M')
accord decision open --conf "$C" --id silence-1 --text poc --procedure silence \
  --deadline "$DEADLINE" --time-zone UTC --home chair
accord decision object --conf "$C" --id silence-1 --home boris \
  --reason "Borduria awaits instructions."   # its receipt proves it came in time
# The chair may not close a silence before its deadline.
expect_refusal accord decision close --conf "$C" --id silence-1 --outcome adopted \
  --home chair

step "The chair calls a recorded vote; Arcadia votes yes, Borduria abstains"
accord decision open --conf "$C" --id vote-1 --text poc --procedure vote --home chair
accord decision vote --conf "$C" --id vote-1 yes --home ana
accord decision vote --conf "$C" --id vote-1 abstain --home boris \
  --explanation "Borduria awaits instructions."
accord decision close --conf "$C" --id vote-1 --outcome adopted --home chair
accord decision show --conf "$C" --home ana   # every outcome, recomputed from the record

step "Ana, who holds the power to sign, signs the adopted version for Arcadia"
accord signature --conf "$C" --text poc --home ana

step "Borduria recalls Boris: the ministry signs a revocation, the chair publishes it"
accord powers revoke --state BOR --credential "$BORIS_POWERS" --reason recalled \
  --out rev.json --home bor-mfa
accord publish-revocation --conf "$C" rev.json --home chair
expect_refusal accord post --conf "$C" "Still here?" --home boris   # refused: revoked
accord sync --home ana     # "new epoch key for channel plenary": Boris reads nothing more

step "Export the record and verify it offline"
accord export --conf "$C" --out tour.accord.jsonl --home ana
accord verify tour.accord.jsonl --genesis "$GENESIS" --messages   # who spoke when

step "The final act: one file anyone verifies offline"
accord final-act --conf "$C" --text poc --out act.json --html act.html --home ana
accord verify act.json     # what was adopted, how, and who signed it
