#!/usr/bin/env bash
# Adds a working widget in one command:
#
#   scripts/new-widget.sh SLUG "Title"      e.g. scripts/new-widget.sh sessions "Session explorer"
#
# It writes, for SLUG (lowercase words joined by '-'; its module name is SLUG with '_'):
#   crates/core/src/MODULE.rs      the model: Inputs (serde, defaults), FIELDS, validate,
#                                  a pure compute() to Outputs, and a test worked out by hand
#   crates/core/src/lib.rs         `pub mod MODULE;`
#   crates/core/src/widgets.rs     its entry at the end of ALL (the gallery's order)
#   src/widgets/MODULE.rs          the component: NumberFields, a ResultOutput, its texts
#   src/widgets/mod.rs             `mod MODULE;`, its line in VIEWS and its constructor
#   content/SLUG.md                its texts: the model, and "Link to this state" with the
#                                  parameters (docs/content.md, and a row in its table)
#   src/bin/SLUG.rs                its binary: the same line as every other binary
#   tests/e2e/SLUG.test.mjs        a browser test that already passes
#   README.md                      a row in the widgets table and in the page contract's
#                                  table of parameters and outputs
# The model is a placeholder that works (messages per second for a fleet); replace it
# with the widget's own: README, "Adding a widget", says what to fill in.
#
# It refuses, before writing anything, a slug that is not lowercase-kebab, that
# exists (in the registry, or as any of the files above), or a missing title.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "scripts/new-widget.sh: $*" >&2; exit 2; }
usage='usage: scripts/new-widget.sh SLUG "Title"   (e.g. scripts/new-widget.sh sessions "Session explorer")'

[ $# -eq 2 ] || die "expected a slug and a title, got $# argument(s)
$usage"
slug=$1
title=$2

# The registry's rule (crates/core/src/widgets.rs): lowercase ASCII letters and '-'.
[[ "$slug" =~ ^[a-z]+(-[a-z]+)*$ ]] ||
  die "'$slug' is not a lowercase-kebab slug: lowercase letters a-z in words joined by single '-' (e.g. session-explorer)"
[ "$slug" != gallery ] || die "'gallery' is the gallery's binary, not a widget"
title=$(printf '%s' "$title" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
[ -n "$title" ] || die "missing title: give the widget's title as the second argument, e.g. \"Session explorer\"
$usage"
[ ${#title} -le 60 ] || die "the title is ${#title} characters long; keep it within 60 (it heads the page and the gallery card)"
case "$title" in
  *[\"\\\|\`\<\>]* | *[[:cntrl:]]*)
    die "the title may not contain \" \\ | \` < > or control characters (it goes into Rust, Markdown and HTML as it is)" ;;
esac

module=${slug//-/_}
# Rust keywords (strict and reserved) cannot name a module.
case " as break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref return self static struct super trait true type unsafe use where while async await dyn abstract become box do final macro override priv typeof unsized virtual yield try gen " in
  *" $module "*) die "'$module' is a Rust keyword and cannot name the widget's module; choose another slug" ;;
esac

exists=()
grep -q "slug: \"$slug\"," crates/core/src/widgets.rs && exists+=("the registry (crates/core/src/widgets.rs) has '$slug'")
for f in "crates/core/src/$module.rs" "crates/core/src/$module" "src/widgets/$module.rs" "src/widgets/$module" \
  "src/bin/$slug.rs" "tests/e2e/$slug.test.mjs" "content/$slug.md"; do
  [ ! -e "$f" ] || exists+=("$f exists")
done
grep -Eq "^pub mod $module;" crates/core/src/lib.rs && exists+=("crates/core/src/lib.rs declares $module")
grep -Eq "^mod $module;" src/widgets/mod.rs && exists+=("src/widgets/mod.rs declares $module")
grep -q "(\"$slug\"," src/widgets/mod.rs && exists+=("src/widgets/mod.rs VIEWS has '$slug'")
grep -q "^| \`$slug\` |" README.md && exists+=("README.md's widgets table has '$slug'")
grep -q "^| $slug |" docs/content.md && exists+=("docs/content.md's table has '$slug'")
if [ ${#exists[@]} -gt 0 ]; then
  printf "scripts/new-widget.sh: '%s' is taken, nothing written:\n" "$slug" >&2
  printf '  %s\n' "${exists[@]}" >&2
  exit 2
fi
command -v python3 >/dev/null || die "python3 is needed (Debian: apt-get install python3)"

# Every file is composed in memory and checked first; only then is anything written.
SLUG=$slug MODULE=$module TITLE=$title python3 - <<'PY'
import json, os, re, sys

slug, module, title = os.environ["SLUG"], os.environ["MODULE"], os.environ["TITLE"]
camel = "".join(w.capitalize() for w in slug.split("-"))

def fail(msg):
    sys.exit(f"scripts/new-widget.sh: {msg}; nothing written")

def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()

def fill(text):
    return (text.replace("__SLUG__", slug).replace("__MODULE__", module)
            .replace("__CAMEL__", camel).replace("__TITLE__", title)
            .replace("__TITLE_JS__", json.dumps(title, ensure_ascii=False)))

def insert_sorted(text, path, pattern, line):
    """Inserts `line` into the block of lines matching `pattern` (`mod x;`), in
    the order rustfmt keeps them."""
    lines = text.split("\n")
    block = [i for i, l in enumerate(lines) if re.fullmatch(pattern, l)]
    if not block:
        fail(f"{path}: found no line like {pattern!r} to add {line!r} beside")
    at = next((i for i in block if lines[i] > line), block[-1] + 1)
    lines.insert(at, line)
    return "\n".join(lines)

def insert_before_close(text, path, opener, entry):
    """Inserts `entry` before the `];` that closes the list opened by `opener`."""
    start = text.find(opener)
    if start < 0:
        fail(f"{path}: found no {opener.strip()!r}")
    close = text.find("\n];\n", start)
    if close < 0:
        fail(f"{path}: found no '];' closing {opener.strip()!r}")
    return text[: close + 1] + entry + text[close + 1 :]

writes = {}

# The core: `pub mod` line, and the registry entry at the end of ALL.
path = "crates/core/src/lib.rs"
writes[path] = insert_sorted(read(path), path, r"pub mod [a-z0-9_]+;", f"pub mod {module};")
path = "crates/core/src/widgets.rs"
writes[path] = insert_before_close(read(path), path, "pub const ALL: &[WidgetInfo] = &[\n", fill(
    '    WidgetInfo {\n'
    '        slug: "__SLUG__",\n'
    '        title: "__TITLE__",\n'
    '        blurb: "TODO: what __TITLE__ shows, in one line.",\n'
    '        // TODO: the compact frame\'s height at 700 px, once it has content\n'
    '        // (tests/e2e/lesson-layout.test.mjs measures it).\n'
    '        frame_height: 800,\n'
    '    },\n'))

# The app: `mod` line, VIEWS line, constructor.
path = "src/widgets/mod.rs"
text = insert_sorted(read(path), path, r"mod [a-z0-9_]+;", f"mod {module};")
text = insert_before_close(text, path, "pub const VIEWS: &[(&str, View)] = &[\n",
                           fill('    ("__SLUG__", __MODULE__),\n'))
writes[path] = text.rstrip("\n") + fill(
    "\nfn __MODULE__() -> AnyView {\n"
    "    view! { <__MODULE__::__CAMEL__ /> }.into_any()\n"
    "}\n")

def append_row(path, text, header, row):
    """Adds `row` after the last row of the Markdown table headed `header`."""
    lines = text.split("\n")
    try:
        end = lines.index(header)
    except ValueError:
        fail(f"{path}: found no table headed {header!r}")
    while end + 1 < len(lines) and lines[end + 1].startswith("| "):
        end += 1
    lines.insert(end + 1, fill(row))
    return "\n".join(lines)

# README: the widgets table, and the page contract's parameters and outputs.
path = "README.md"
text = append_row(path, read(path), "| slug | what | status |",
                  "| `__SLUG__` | __TITLE__ (new: fill in its model and texts) | draft |")
writes[path] = append_row(path, text, "| widget | parameters | outputs |",
                          "| `__SLUG__` | `devices`, `rate` | `messages-per-s` |")
# docs/content.md: the table of content files.
path = "docs/content.md"
writes[path] = append_row(path, read(path), "| widget | file |", "| __SLUG__ | `content/__SLUG__.md` |")

# New files, from the templates after this script.
templates = {}
script = read("scripts/new-widget.sh")
for m in re.finditer(r"^#### (\S+)\n(.*?)(?=^#### |\Z)", script.split("\n#### TEMPLATES\n", 1)[1], re.S | re.M):
    templates[m.group(1)] = m.group(2)
for name, path in [("core", f"crates/core/src/{module}.rs"), ("component", f"src/widgets/{module}.rs"),
                   ("content", f"content/{slug}.md"), ("e2e", f"tests/e2e/{slug}.test.mjs")]:
    if name not in templates:
        fail(f"scripts/new-widget.sh has no template '{name}'")
    writes[path] = fill(templates[name])
writes[f"src/bin/{slug}.rs"] = read("src/bin/gallery.rs")

for path in writes:
    if path not in ("crates/core/src/lib.rs", "crates/core/src/widgets.rs", "src/widgets/mod.rs",
                    "README.md", "docs/content.md") and os.path.exists(path):
        fail(f"{path} exists")
for path, text in writes.items():
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"  wrote {path}")
PY

cat <<EOF

Added the widget '$slug' ("$title"): a placeholder model that builds, tests and shows.
Now fill it in (README.md, "Adding a widget"):
  1. crates/core/src/$module.rs: the fields, the model, compute() and its test by hand;
     cargo test -p mqtt-lab-core $module::
  2. src/widgets/$module.rs: the question it answers and the results; content/$slug.md: the
     model's text and its sources; the blurb in crates/core/src/widgets.rs; the README row.
  3. tests/e2e/$slug.test.mjs: what a learner sees;
     scripts/test.sh build e2e tests/e2e/$slug.test.mjs tests/e2e/every-widget.test.mjs
EOF
exit 0

#### TEMPLATES
#### core
//! __TITLE__: the model of `?w=__SLUG__`.
//!
//! Written by `scripts/new-widget.sh` as a placeholder that works: replace
//! the fields, the model and its tests with the widget's own (README,
//! "Adding a widget"). The placeholder: the messages a fleet publishes per
//! second = devices × messages per device per minute ÷ 60.

use crate::fields::{check_all, FieldError, NumberSpec};
use serde::{Deserialize, Serialize};

pub const DEVICES: NumberSpec = NumberSpec {
    key: "devices",
    label: "Devices",
    unit: "",
    min: 0.0,
    max: 10_000_000.0,
    step: 10.0,
    slider_max: 10_000.0,
    integer: true,
    default: 1000.0,
};
/// Messages each device publishes per minute (one every 10 s by default).
pub const RATE_PER_MIN: NumberSpec = NumberSpec {
    key: "rate",
    label: "Messages per device",
    unit: "per min",
    min: 0.0,
    max: 60_000.0,
    step: 1.0,
    slider_max: 120.0,
    integer: false,
    default: 6.0,
};

/// The fields in form order.
pub const FIELDS: [NumberSpec; 2] = [DEVICES, RATE_PER_MIN];

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Inputs {
    pub devices: f64,
    pub rate_per_min: f64,
}

impl Default for Inputs {
    fn default() -> Self {
        Self::from_values(FIELDS.map(|f| f.default))
    }
}

impl Inputs {
    /// Builds inputs from values in [`FIELDS`] order.
    pub fn from_values(v: [f64; 2]) -> Self {
        Self {
            devices: v[0],
            rate_per_min: v[1],
        }
    }

    /// Each field within its spec; the error names the field and says what
    /// is allowed.
    pub fn validate(&self) -> Result<(), FieldError> {
        check_all(&FIELDS, &[self.devices, self.rate_per_min])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Outputs {
    pub messages_per_s: f64,
}

/// devices × messages per device per minute ÷ 60.
pub fn compute(inputs: &Inputs) -> Result<Outputs, FieldError> {
    inputs.validate()?;
    Ok(Outputs {
        messages_per_s: inputs.devices * inputs.rate_per_min / 60.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_defaults_give_the_value_worked_out_by_hand() {
        // 1,000 devices × 6 messages a minute = 6,000 a minute = 100 a second.
        let out = compute(&Inputs::default()).unwrap();
        assert_eq!(out.messages_per_s, 100.0);
        // 90 devices × 2 a minute = 180 a minute = 3 a second.
        let out = compute(&Inputs::from_values([90.0, 2.0])).unwrap();
        assert_eq!(out.messages_per_s, 3.0);
    }

    #[test]
    fn invalid_inputs_name_their_field() {
        let e = compute(&Inputs::from_values([-1.0, 6.0])).unwrap_err();
        assert_eq!(e.key, "devices");
        assert_eq!(
            e.message,
            "-1 is out of range; enter a whole number from 0 to 10,000,000"
        );
        let e = compute(&Inputs::from_values([1000.0, f64::NAN])).unwrap_err();
        assert_eq!(e.key, "rate");
    }

    proptest! {
        #[test]
        fn never_panics_and_is_finite(
            d in prop_oneof![any::<f64>(), 0.0..=1e7f64, Just(f64::NAN), Just(f64::INFINITY)],
            r in prop_oneof![any::<f64>(), 0.0..=6e4f64],
        ) {
            match compute(&Inputs::from_values([d.round(), r])) {
                Ok(o) => prop_assert!(o.messages_per_s.is_finite() && o.messages_per_s >= 0.0),
                Err(e) => prop_assert!(FIELDS.iter().any(|f| f.key == e.key)),
            }
        }
    }
}
#### component
//! `?w=__SLUG__`: __TITLE__. Wiring only: the model is
//! `mqtt_lab_core::__MODULE__`, the texts `content/__SLUG__.md` (written by
//! `scripts/new-widget.sh`).

use crate::components::*;
use leptos::prelude::*;
use mqtt_lab_core::__MODULE__::{self, Inputs};
use mqtt_lab_core::format::{number, plain};

#[component]
pub fn __CAMEL__() -> impl IntoView {
    let fields = __MODULE__::FIELDS.each_ref().map(NumberInput::new);
    let parsed = move || values(&fields).map(Inputs::from_values);
    // The last valid inputs and their results; kept while a field is refused.
    let state = last_valid(
        move || parsed().and_then(|i| __MODULE__::compute(&i).ok().map(|o| (i, o))),
        || defaults(__MODULE__::compute),
    );
    let stale = Signal::derive(move || parsed().is_none());
    let out = move || state.get().1;

    view! {
        <Intro html=content::__MODULE__::INTRO />
        <div class="widget-grid">
            <section class="inputs" aria-label="Inputs">
                {fields.map(|input| view! { <NumberField input=input /> }).collect_view()}
            </section>
            <Results stale=stale>
                <ResultOutput
                    label="Messages per second"
                    name="messages-per-s"
                    value=Signal::derive(move || plain(out().messages_per_s))
                    text=Signal::derive(move || format!("{} messages/s", number(out().messages_per_s, 1)))
                />
            </Results>
        </div>
        <Optional part=Part::Explain><Prose html=content::__MODULE__::EXPLAIN /></Optional>
        <Optional part=Part::Link><Prose html=with_parameters(content::__MODULE__::LINK, __MODULE__::FIELDS.iter().map(Param::Number)) /></Optional>
    }
}
#### content
<!-- The __SLUG__ widget (?w=__SLUG__), written by scripts/new-widget.sh. Syntax and how to see a change: docs/content.md. -->

<!-- texts -->
intro: TODO: the question this widget answers, in one sentence.

<!-- part: explain -->
::: section explain
## The model

TODO, a placeholder model: messages per second = devices × messages per device per minute ÷ 60.
:::

<!-- part: link -->
::: section help
## Link to this state

The address bar always holds the current inputs. Parameters: {{parameters}}.
:::
#### e2e
// ?w=__SLUG__: __TITLE__ (written by scripts/new-widget.sh): the default
// result, typing, and the permalink, found by role and label.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, params, typeInto } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const W = 'output[name="messages-per-s"]';

test('the page shows its title and the default result', async () => {
  const { page, errors, context } = await open(browser, '?w=__SLUG__', { waitFor: W });
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), __TITLE_JS__);
  assert.equal(await page.getByLabel('Devices', { exact: true }).inputValue(), '1000');
  // 1,000 devices × 6 messages a minute ÷ 60 = 100 messages a second.
  const result = page.getByRole('status', { name: 'Messages per second' });
  assert.equal(await result.getAttribute('data-value'), '100');
  assert.equal(await result.innerText(), '100 messages/s');
  assert.deepEqual(errors, []);
  await context.close();
});

test('typing updates the result and the permalink', async () => {
  const { page, errors, context } = await open(browser, '?w=__SLUG__', { waitFor: W });
  await typeInto(page, 'Devices', '90');
  await typeInto(page, 'Messages per device (per min)', '2');
  // 90 × 2 ÷ 60 = 3.
  await page.waitForFunction(() => document.querySelector('output[name="messages-per-s"]').dataset.value === '3');
  const url = await params(page);
  assert.equal(url.get('devices'), '90');
  assert.equal(url.get('rate'), '2');
  assert.deepEqual(errors, []);
  await context.close();
});
