#!/usr/bin/env bash
# The tour's second part: what rules of procedure version 2 add (docs/protocol.md 12.4 to
# 12.8): decisions on the basis for negotiation and on a proposal, a roll-call vote, a
# motion, a restricted draft traced when it leaks, a facilitator and an informal
# informal, a negotiating group. Its own nodes and conference; run it as docs/tour.sh:
#     bash docs/tour-rules.sh
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
# The accord command: this checkout's, or ACCORD_CLI (e.g. "python -m accord").
accord() { ${ACCORD_CLI:-$REPO/.venv/bin/accord} "$@"; }
R=${ACCORD_RELAY:-http://127.0.0.1:8470}    # the relay
C=talks-$(date -u +%Y%m%d-%H%M%S)           # a new conference id on each run
export ACCORD_PASSPHRASE=${ACCORD_PASSPHRASE:-"tour passphrase, not for real keys"}
cd "$(mktemp -d "${TMPDIR:-/tmp}/accord-talks.XXXXXX")"
echo "== the nodes and files are in $PWD"

step() { echo; echo "== $*"; }

step "Two ministries, a chair and two delegates, as in docs/tour.sh"
accord init --home arc-mfa && ARC_ROOT=$(accord root create ARC --quiet --home arc-mfa)
accord init --home bor-mfa && BOR_ROOT=$(accord root create BOR --quiet --home bor-mfa)
accord init --home chair && accord identity create --home chair
# Rules of procedure 2 are the default; each setting has an option (--help): here the
# quorum, both members.
GENESIS=$(accord conference create --quiet --relay "$R" --conf "$C" --title "Talks" \
  --quorum 2 --chair-name "Ambassador Moreau" \
  --state "ARC:Republic of Arcadia:$ARC_ROOT" --state "BOR:Kingdom of Borduria:$BOR_ROOT" \
  --home chair)
accord init --home ana && ANA_KEY=$(accord identity create --quiet --home ana)
accord powers issue --state ARC --delegate "Ana Reyes" --key "$ANA_KEY" \
  --power negotiate --power adopt --conference "$C" --out ana.json --home arc-mfa
accord join --relay "$R" --conf "$C" --credential ana.json --genesis "$GENESIS" --home ana
accord init --home boris && BORIS_KEY=$(accord identity create --quiet --home boris)
accord powers issue --state BOR --delegate "Boris Vlk" --key "$BORIS_KEY" \
  --power negotiate --power adopt --conference "$C" --out boris.json --home bor-mfa
accord join --relay "$R" --conf "$C" --credential boris.json --genesis "$GENESIS" \
  --home boris

step "The chair tables a draft and asks whether it is the basis for negotiation"
cat > draft.txt <<'EOF'
Arrangement on Points of Contact
1. Each participating State [shall][should] designate a point of contact for incidents.
2. A requested State shall acknowledge a request for assistance.
3. The directory manager shall check the points of contact every year.
EOF
accord text table --conf "$C" --text poc draft.txt --home chair
accord decision open --conf "$C" --id basis-1 --text poc --kind basis --home chair
# (by consensus, the default: it stays open at least 15 minutes, so that anyone objects)

step "A decision on Ana's proposal, by a recorded vote; Borduria answers present"
PROPOSAL=$(accord text amend --conf "$C" --text poc --paragraph op3 --op replace_words \
  --old "every year" --new "every six months" --home ana \
  | sed -n 's/^proposal made: .*, id \(sha256:[A-Za-z0-9_-]*\)$/\1/p')
accord decision open --conf "$C" --id op3-vote --text poc --procedure vote \
  --kind proposal --proposal "${PROPOSAL:?no proposal id in what text amend printed}" \
  --home chair
accord decision vote --conf "$C" --id op3-vote yes --home ana
accord decision vote --conf "$C" --id op3-vote present --home boris  # present, not voting
accord decision close --conf "$C" --id op3-vote --outcome adopted --home chair

step "Borduria moves that paragraph 2 be decided apart; the chair puts the motion"
MOTION=$(accord decision move --conf "$C" --motion division --text poc --part op2 \
  --reason "Paragraph 2 apart" --home boris \
  | sed -n 's/^motion for division moved: .*, id \(sha256:[A-Za-z0-9_-]*\)$/\1/p')
accord decision open --conf "$C" --id division-1 --text poc --kind motion \
  --motion "${MOTION:?no motion id in what decision move printed}" --home chair
accord decision show --conf "$C" --home ana   # each decision, its roll-call, the motion

step "A working draft to the two delegations only, one copy each, worded for each"
cat > elements.txt <<'EOF'
Emphasizing that States should move toward common procedures, while respecting their
national authorities,

1. States shall designate a point of contact and coordinate their responses to incidents,
e.g. by sharing technical indicators among national teams.

2. States shall prioritize reports of incidents affecting at least ten per cent of a
sector, and afterwards inform the organization concerned.
EOF
accord document circulate --conf "$C" --id np-1 --title "Elements" --file elements.txt \
  --to ARC --to BOR --home chair
accord document read --conf "$C" --id np-1 --home ana     # and signs for its copy
accord document read --conf "$C" --id np-1 --out boris-copy.txt --home boris
cp boris-copy.txt press.txt   # Borduria's copy appears in the press: whose copy is it?
accord document trace --conf "$C" --id np-1 --leaked press.txt --home chair

step "A facilitator; an informal informal, where only attendance and times are kept"
accord channel open --conf "$C" --id arc-bor --kind bilateral --member ARC --member BOR \
  --home ana
accord meeting appoint --conf "$C" --state BOR --item poc --home chair
accord meeting open --conf "$C" --id inf-1 --format informal_informal --channel arc-bor \
  --item poc --home boris
accord meeting attend --conf "$C" --id inf-1 --home ana
accord meeting close --conf "$C" --id inf-1 --home boris
accord meeting show --conf "$C" --home chair

step "A negotiating group, and a statement on its behalf"
accord group found --conf "$C" --id lmg --name "Like-Minded Group" \
  --member ARC --member BOR --home ana
accord group join --conf "$C" --id lmg --home boris
accord statement --conf "$C" --kind interpretative --text poc --on-behalf-of lmg \
  "The group reads paragraph 1 as voluntary." --home ana

step "The record verifies offline"
accord export --conf "$C" --out talks.accord.jsonl --home boris
accord verify talks.accord.jsonl --genesis "$GENESIS"
