#!/usr/bin/env bash
# Writes a SCORM 1.2 package (a zip to upload to an LMS) of MQTT Lab widgets; the
# knowledge checks report score, completion and each answer to the LMS and resume
# where the learner left them. docs/authors.md, "In an LMS".
#
#   scripts/scorm.sh --widgets exercises --out lesson.zip
#   scripts/scorm.sh --widgets 'backoff?base=1&cap=60,qos?pub=2&sub=1,exercises' \
#                    --title "Reconnecting well" --out lesson.zip
#   scripts/scorm.sh --widgets exercises --base https://your.site/widgets/mqtt/ --out lesson.zip
#
# Without --base the built site (dist/, scripts/build.sh) goes into the package with the
# chosen widgets' bundles only. An unknown widget or parameter stops it with a message.
set -euo pipefail
exec python3 "$(dirname "$0")/../integrations/scorm/build.py" "$@"
